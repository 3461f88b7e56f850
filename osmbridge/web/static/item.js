// Item page: the small map of the place, and keyboard shortcuts (a accept, r reject, n next).
(function () {
  "use strict";
  var COLOURS = { city: "#2e86c1", osm: "#27ae60", candidate: "#d35400", item: "#c0392b" };

  function drawMap() {
    var element = document.getElementById("map");
    var data = document.getElementById("map-data");
    if (!element || !data || typeof L === "undefined") return;
    var markers = JSON.parse(data.textContent).markers || [];
    var map = L.map(element, { attributionControl: true });
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: element.dataset.attribution  // the credit in the page's language
    }).addTo(map);
    var points = [];
    markers.forEach(function (m) {
      var point = [m.lat, m.lon];
      points.push(point);
      L.circleMarker(point, { radius: 8, color: COLOURS[m.side] || "#555", weight: 3, fillOpacity: 0.4 })
        .bindTooltip(m.label || m.side).addTo(map);
    });
    if (points.length === 1) map.setView(points[0], 18);
    else if (points.length > 1) map.fitBounds(points, { padding: [30, 30], maxZoom: 19 });
    element.dataset.markers = String(points.length);
  }

  function typing(event) {
    var tag = (event.target.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable;
  }

  function firstOpen(selector) {
    // The first field still waiting for a decision, else the first field at all.
    var open = document.querySelector(".field.state-open " + selector + ", .field.state-stale " + selector);
    return open || document.querySelector(selector);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
    if (event.key === "a") {
      var accept = firstOpen("button[data-key=accept]");
      if (accept) { event.preventDefault(); accept.click(); }
    } else if (event.key === "r") {
      var reason = firstOpen("input.reason");
      if (reason) { event.preventDefault(); reason.focus(); }
    } else if (event.key === "n") {
      var next = document.getElementById("next-link");
      if (next) { event.preventDefault(); window.location.href = next.href; }
    }
  });

  // In a reason box, Enter rejects (the form's first button would otherwise accept).
  document.querySelectorAll("input.reason").forEach(function (input) {
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var reject = input.form.querySelector("button[data-key=reject]");
      if (reject) { event.preventDefault(); reject.click(); }
    });
  });

  drawMap();
})();
