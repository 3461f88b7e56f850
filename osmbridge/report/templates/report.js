// report.html: map of the differences, sortable and filterable table. No network needed but tiles.
(function () {
  "use strict";
  var ob = window.osmbridge;
  var data = ob.data;
  var markers = {};
  var layer = null;
  var map = null;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function link(href, label, target) {
    var a = el("a", label);
    a.href = href;
    a.target = target || "_blank";
    a.rel = "noopener";
    return a;
  }

  // Built from text nodes only: values come from open data and must never become markup.
  function popup(d) {
    var box = el("div", null, "popup");
    box.appendChild(el("strong", d.name || d.osm_id || ""));
    box.appendChild(el("div", ob.t("kind." + d.kind), "popup-kind"));
    var rows = [["popup.field", d.field], ["popup.city", d.city_value], ["popup.osm", d.osm_value]];
    var table = el("table");
    rows.forEach(function (row) {
      if (row[1] === null || row[1] === undefined) return;
      var tr = el("tr");
      tr.appendChild(el("th", ob.t(row[0])));
      tr.appendChild(el("td", row[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    box.appendChild(el("div", ob.t("proposal." + d.proposal), "popup-proposal"));
    var links = el("div", null, "popup-links");
    if (d.osm_url) links.appendChild(link(d.osm_url, ob.t("link.osm")));
    if (d.city_url) links.appendChild(link(d.city_url, ob.t("link.city")));
    if (d.josm_url) links.appendChild(link(d.josm_url, ob.t("link.josm"), "josm"));
    box.appendChild(links);
    return box;
  }

  function drawMap() {
    var container = document.getElementById("map");
    if (!container || typeof L === "undefined") return;
    map = L.map(container, { scrollWheelZoom: false });
    // Vector layers need a view before they are added; fitBounds below sets the real one.
    map.setView([20, 0], 2);
    L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution }).addTo(map);
    layer = L.layerGroup().addTo(map);
    var bounds = [];
    data.differences.forEach(function (d) {
      var marker = L.circleMarker([d.lat, d.lon], {
        radius: 7, weight: 1.5, color: "#ffffff", fillColor: data.colours[d.kind] || "#555",
        fillOpacity: 0.9, className: "diff-marker diff-marker-" + d.kind,
      });
      marker.bindPopup(function () { return popup(d); });
      marker.addTo(layer);
      markers[d.id] = marker;
      bounds.push([d.lat, d.lon]);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
    else map.setView([20, 0], 2);
  }

  // --- table: filter ---
  var table = document.getElementById("differences");
  var body = table ? table.tBodies[0] : null;
  var text = document.getElementById("filter-text");
  var kind = document.getElementById("filter-kind");
  var proposal = document.getElementById("filter-proposal");
  var category = document.getElementById("filter-category");

  function filter() {
    if (!body) return;
    var needle = (text.value || "").trim().toLowerCase();
    var shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var ok = (!needle || row.getAttribute("data-search").indexOf(needle) >= 0)
        && (!kind.value || row.getAttribute("data-kind") === kind.value)
        && (!proposal.value || row.getAttribute("data-proposal") === proposal.value)
        && (!category.value || row.getAttribute("data-category") === category.value);
      row.hidden = !ok;
      if (ok) shown += 1;
      var marker = markers[row.getAttribute("data-id")];
      if (marker && layer) {
        if (ok && !layer.hasLayer(marker)) marker.addTo(layer);
        if (!ok && layer.hasLayer(marker)) layer.removeLayer(marker);
      }
    });
    document.getElementById("shown-count").textContent = String(shown);
  }

  // --- table: sort ---
  function cellValue(row, index) {
    var cell = row.cells[index];
    var value = cell.getAttribute("data-sort-value");
    return (value !== null ? value : cell.textContent).trim().toLowerCase();
  }

  function sortBy(th) {
    var index = Array.prototype.indexOf.call(th.parentNode.cells, th);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    th.parentNode.querySelectorAll("th[data-sort]").forEach(function (other) { other.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var collator = new Intl.Collator(ob.lang(), { numeric: true, sensitivity: "base" });
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var order = collator.compare(cellValue(a, index), cellValue(b, index));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  if (table) {
    table.querySelectorAll("th[data-sort]").forEach(function (th) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(th); });
    });
    [text, kind, proposal, category].forEach(function (input) {
      input.addEventListener("input", filter);
      input.addEventListener("change", filter);
    });
    body.addEventListener("click", function (e) {
      var id = e.target.getAttribute && e.target.getAttribute("data-locate");
      if (!id || !markers[id] || !map) return;
      document.getElementById("map").scrollIntoView({ behavior: "smooth", block: "center" });
      map.setView(markers[id].getLatLng(), 18);
      markers[id].openPopup();
    });
  }

  drawMap();
  ob.onLanguage(function () { if (map) map.closePopup(); });
})();
