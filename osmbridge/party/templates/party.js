// Party pages: neighbourhoods and places on a map (party.html), numbered places (checklists).
(function () {
  "use strict";
  var data = window.osmbridge.data;
  var container = document.getElementById("map");
  if (!container || typeof L === "undefined") return;
  // SVG markers by the thousand are slow: draw them on a canvas then.
  var map = L.map(container, { scrollWheelZoom: false, preferCanvas: data.tasks.length > 1500 });
  // Vector layers need a view before they are added; fitBounds below sets the real one.
  map.setView([20, 0], 2);
  L.tileLayer(data.tiles, { maxZoom: 19 }).addTo(map);
  var ob = window.osmbridge;
  var credit = ob.t("map.attribution");
  map.attributionControl.addAttribution(credit);
  ob.onLanguage(function () {
    map.attributionControl.removeAttribution(credit);
    credit = ob.t("map.attribution");
    map.attributionControl.addAttribution(credit);
  });
  // A checklist's map shows its neighbourhood; the planner's map the places with work.
  var bounds = L.latLngBounds([]);
  var placesBounds = L.latLngBounds([]);
  var markers = [];

  if (data.areas) {
    var areas = L.geoJSON(data.areas, {
      style: function (feature) {
        var share = feature.properties.score / data.max_score;
        return { color: "#1a5276", weight: 1.5, fillColor: "#c0392b", fillOpacity: 0.08 + 0.45 * share,
                 className: "area-shape" };
      },
      onEachFeature: function (feature, layer) {
        var label = document.createElement("span");
        label.textContent = feature.properties.rank + ". " + feature.properties.name + " (" + feature.properties.score + ")";
        layer.bindTooltip(label, { sticky: true });
      },
    }).addTo(map);
    if (areas.getLayers().length && !data.tasks.length) bounds.extend(areas.getBounds());
  }
  if (data.area) {
    var area = L.geoJSON(data.area, { style: { color: "#1a5276", weight: 2, fillOpacity: 0.04 } }).addTo(map);
    bounds.extend(area.getBounds());
  }

  data.tasks.forEach(function (task) {
    var marker;
    if (task.n) {
      // Checklists: numbered pins matching the table rows, readable on paper.
      marker = L.marker([task.lat, task.lon], {
        icon: L.divIcon({ className: "num-marker work-" + task.work, html: String(task.n), iconSize: [22, 22] }),
      });
    } else {
      marker = L.circleMarker([task.lat, task.lon], {
        radius: 5, weight: 1, color: "#fff", fillColor: data.colours[task.work], fillOpacity: 0.9,
        className: "task-marker",
      });
    }
    var label = document.createElement("span");
    label.textContent = (task.n ? task.n + ". " : "") + (task.name || "") + (task.address ? " — " + task.address : "");
    marker.bindTooltip(label);
    marker.osmbridgeAt = L.latLng(task.lat, task.lon);
    marker.addTo(map);
    markers.push(marker);
    placesBounds.extend([task.lat, task.lon]);
  });
  if (!data.area) bounds.extend(placesBounds);
  // Places of one address (several pins on one point) are spread so every number stays readable.
  var spread = window.osmbridgeSpread(map, function () { return markers; }, markers.length && data.tasks[0].n ? 26 : 12);

  function fit() {
    map.invalidateSize();
    if (!bounds.isValid()) {
      map.setView([20, 0], 2);
      return;
    }
    map.fitBounds(bounds, { padding: [12, 12], maxZoom: 17, animate: false });
    // Spread pins may reach past the edge: widen the view until the area and every pin are in it.
    for (var round = 0; round < 4; round++) {
      spread();
      var shown = L.latLngBounds(bounds.getSouthWest(), bounds.getNorthEast());
      markers.forEach(function (marker) { shown.extend(marker.getLatLng()); });
      if (map.getBounds().pad(-0.03).contains(shown)) break;
      map.fitBounds(shown, { padding: [24, 24], maxZoom: 17, animate: false });
    }
  }
  fit();
  // Paper is narrower than most screens: refit when printing (the checklist is laid out as A4 anyway).
  window.addEventListener("beforeprint", fit);
  window.addEventListener("afterprint", fit);
})();
