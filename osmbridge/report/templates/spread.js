// Markers that would cover one another are spread out: at each zoom, markers closer on screen than
// `spacing` pixels form a group, laid out on rings around the group's centre, so every one stays
// visible and clickable. A marker alone stays on its true position (marker.osmbridgeAt).
(function () {
  "use strict";

  function find(parent, i) {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  function groups(points, spacing) {
    var parent = points.map(function (_, i) { return i; });
    var grid = new Map();
    points.forEach(function (p, i) {
      var key = Math.floor(p.x / spacing) + "," + Math.floor(p.y / spacing);
      if (!grid.has(key)) grid.set(key, []);
      grid.get(key).push(i);
    });
    points.forEach(function (p, i) {
      var cx = Math.floor(p.x / spacing), cy = Math.floor(p.y / spacing);
      for (var dx = -1; dx <= 1; dx++) {
        for (var dy = -1; dy <= 1; dy++) {
          (grid.get((cx + dx) + "," + (cy + dy)) || []).forEach(function (j) {
            if (j > i && Math.abs(points[j].x - p.x) < spacing && Math.abs(points[j].y - p.y) < spacing
                && Math.hypot(points[j].x - p.x, points[j].y - p.y) < spacing) {
              parent[find(parent, j)] = find(parent, i);
            }
          });
        }
      }
    });
    var byRoot = new Map();
    points.forEach(function (_, i) {
      var root = find(parent, i);
      if (!byRoot.has(root)) byRoot.set(root, []);
      byRoot.get(root).push(i);
    });
    return Array.from(byRoot.values());
  }

  // Ring r (from 1) has radius r * spacing and room for floor(2 pi r) markers: neighbours stay `spacing` apart.
  function ringSlots(count, spacing) {
    var slots = [];
    for (var ring = 1; slots.length < count; ring++) {
      var room = Math.floor(2 * Math.PI * ring);
      var here = Math.min(room, count - slots.length);
      for (var k = 0; k < here; k++) {
        var angle = -Math.PI / 2 + (2 * Math.PI * k) / here;
        slots.push({ x: Math.cos(angle) * ring * spacing, y: Math.sin(angle) * ring * spacing });
      }
    }
    return slots;
  }

  function extent(count, spacing) {
    // The radius of the outermost ring a group of `count` markers needs (0 for a marker alone).
    var ring = 0, placed = count > 1 ? 0 : count;
    while (placed < count) {
      ring += 1;
      placed += Math.floor(2 * Math.PI * ring);
    }
    return ring * spacing;
  }

  function centreOf(members, points) {
    var cx = 0, cy = 0;
    members.forEach(function (i) { cx += points[i].x; cy += points[i].y; });
    return { x: cx / members.length, y: cy / members.length };
  }

  // Groups whose rings would touch another group are merged, until none does (a few rounds at most).
  function settle(found, points, spacing) {
    for (var round = 0; round < 8 && found.length < 3000; round++) {
      var discs = found.map(function (members) {
        return { members: members, centre: centreOf(members, points), radius: extent(members.length, spacing) };
      });
      var merged = false;
      for (var a = 0; a < discs.length; a++) {
        for (var b = a + 1; b < discs.length;) {
          var gap = Math.hypot(discs[a].centre.x - discs[b].centre.x, discs[a].centre.y - discs[b].centre.y);
          if (gap < discs[a].radius + discs[b].radius + spacing) {
            discs[a].members = discs[a].members.concat(discs[b].members);
            discs.splice(b, 1);
            merged = true;
          } else {
            b++;
          }
        }
      }
      found = discs.map(function (disc) { return disc.members; });
      if (!merged) break;
    }
    return found;
  }

  // Returns a function that re-spreads the markers `list()` gives (call it after filtering).
  window.osmbridgeSpread = function (map, list, spacing) {
    function apply() {
      var markers = list();
      var points = markers.map(function (m) { return map.latLngToLayerPoint(m.osmbridgeAt); });
      settle(groups(points, spacing), points, spacing).forEach(function (members) {
        if (members.length === 1) {
          markers[members[0]].setLatLng(markers[members[0]].osmbridgeAt);
          return;
        }
        var centre = centreOf(members, points);
        var slots = ringSlots(members.length, spacing);
        members.forEach(function (i, k) {
          markers[i].setLatLng(map.layerPointToLatLng(L.point(centre.x + slots[k].x, centre.y + slots[k].y)));
        });
      });
    }
    map.on("zoomend", apply);
    return apply;
  };
})();
