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
  L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution }).addTo(map);
  var bounds = L.latLngBounds([]);

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
    if (areas.getLayers().length) bounds.extend(areas.getBounds());
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
    marker.addTo(map);
    bounds.extend([task.lat, task.lon]);
  });
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 });
  else map.setView([20, 0], 2);
})();
