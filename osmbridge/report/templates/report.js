// report.html: map of the differences and the table (sorted, filtered, drawn a page at a time).
// Every value comes from open data: it is only ever set as text, never as markup. Filters and sort
// live in the address (#kind=...&sort=place:desc), so a link or a reload shows the same rows.
(function () {
  "use strict";
  var ob = window.osmbridge;
  var data = ob.data;
  var all = data.differences;
  var markers = {};
  var layer = null;
  var map = null;
  var credit = "";
  var respread = function () {};

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function translated(tag, key, cls) {
    var node = el(tag, ob.t(key), cls);
    node.setAttribute("data-i18n", key);
    return node;
  }

  function link(href, key, cls, target, titleKey) {
    var a = translated("a", key, cls);
    a.href = href;
    a.target = target || "_blank";
    a.rel = "noopener";
    if (titleKey) {
      a.title = ob.t(titleKey);
      a.setAttribute("data-i18n-title", titleKey);
    }
    return a;
  }

  function objectLinks(d, box) {
    // A review of several objects (candidates, twins): each id opens its page; JOSM and iD load them all.
    var ids = (d.objects || "").split(" ").filter(function (v) { return v; });
    if (ids.length < 2) return;
    var line = el("span", null, "objects");
    ids.forEach(function (id) {
      var a = el("a", id, "object-link");
      a.href = "https://www.openstreetmap.org/" + { n: "node", w: "way", r: "relation" }[id[0]] + "/" + id.slice(1);
      a.target = "_blank";
      a.rel = "noopener";
      line.appendChild(a);
    });
    box.appendChild(line);
  }

  function editorLinks(d, links) {
    if (d.josm_url) {
      var adding = d.kind === "missing_in_osm" && d.josm_url.indexOf("/add_node?") > 0;
      links.appendChild(link(d.josm_url, adding ? "link.josm_add" : "link.josm", "josm-link", "josm",
                             adding ? "link.josm_add_title" : "link.josm_title"));
    }
    if (d.id_url) links.appendChild(link(d.id_url, "link.id", "id-link", "_blank", "link.id_title"));
    if (d.review_url) links.appendChild(link(d.review_url, "link.review", "review-link", "_blank", "link.review_title"));
  }

  // --- map ---
  function popup(d) {
    var box = el("div", null, "popup");
    box.appendChild(el("strong", d.name || d.osm_id || d.source_id || ""));
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
    if (d.osm_url) links.appendChild(link(d.osm_url, "link.osm"));
    if (d.city_url) links.appendChild(link(d.city_url, "link.city"));
    editorLinks(d, links);
    box.appendChild(links);
    objectLinks(d, box);
    return box;
  }

  function drawMap() {
    var container = document.getElementById("map");
    if (!container || typeof L === "undefined") return;
    var placed = all.filter(function (d) { return d.lat !== null && d.lon !== null; });
    // SVG markers are DOM elements (styled, countable) but slow by the thousand: use a canvas then.
    map = L.map(container, { scrollWheelZoom: false, preferCanvas: placed.length > 1500 });
    // Vector layers need a view before they are added; fitBounds below sets the real one.
    map.setView([20, 0], 2);
    L.tileLayer(data.tiles, { maxZoom: 19 }).addTo(map);
    credit = ob.t("map.attribution");
    map.attributionControl.addAttribution(credit);
    layer = L.layerGroup().addTo(map);
    placed.forEach(function (d) {
      var marker = L.circleMarker([d.lat, d.lon], {
        radius: 7, weight: 1.5, color: "#ffffff", fillColor: data.colours[d.kind] || "#555",
        fillOpacity: 0.9, className: "diff-marker diff-marker-" + d.kind,
      });
      marker.osmbridgeAt = L.latLng(d.lat, d.lon);
      marker.bindPopup(function () { return popup(d); });
      marker.addTo(layer);
      markers[d.id] = marker;
    });
    // Several differences of one place share its position: spread them so none hides another.
    // Past 1,500 markers (canvas) spreading costs more than it shows; those maps are read zoomed in.
    if (placed.length <= 1500) respread = window.osmbridgeSpread(map, function () { return layer.getLayers(); }, 18);
  }

  // Fit the map to the rows shown (all of them at first).
  function fit(rows) {
    if (!map) return;
    var points = rows.filter(function (d) { return d.lat !== null && d.lon !== null; })
      .map(function (d) { return [d.lat, d.lon]; });
    if (points.length) map.fitBounds(points, { padding: [24, 24], maxZoom: 17, animate: false });
    respread();
  }

  function translateCredit() {
    if (!map) return;
    map.attributionControl.removeAttribution(credit);
    credit = ob.t("map.attribution");
    map.attributionControl.addAttribution(credit);
  }

  // --- table ---
  var table = document.getElementById("differences");
  var body = table.tBodies[0];
  var text = document.getElementById("filter-text");
  var kind = document.getElementById("filter-kind");
  var proposal = document.getElementById("filter-proposal");
  var category = document.getElementById("filter-category");
  var side = document.getElementById("filter-side");
  var producer = document.getElementById("filter-producer");  // datasets with several producers only
  var more = document.getElementById("show-more");
  var sortKey = null;
  var ascending = true;
  var shown = all.slice();
  var drawn = 0;

  all.forEach(function (d) {
    d._search = [d.name, d.source_id, d.osm_id, d.field, d.city_value, d.osm_value, d.category, d.id, d.owner]
      .filter(function (v) { return v; }).join(" ").toLowerCase();
  });

  var sortValue = {
    place: function (d) { return d.name || d.source_id || d.osm_id || ""; },
    category: function (d) { return d.category || ""; },
    kind: function (d) { return d.kind; },
    field: function (d) { return d.field || ""; },
    city_value: function (d) { return d.city_value || ""; },
    osm_value: function (d) { return d.osm_value || ""; },
    changed_side: function (d) { return d.changed_side; },
    proposal: function (d) { return d.proposal; },
  };

  function badge(prefix, value, colour, textColour) {
    var span = translated("span", prefix + "." + value, "badge badge-" + prefix + " " + prefix + "-" + value);
    if (colour) span.style.setProperty("--badge", colour);
    if (textColour) span.style.setProperty("--badge-text", textColour);
    return span;
  }

  function valueCell(value, base, extra) {
    var td = el("td", null, "value");
    if (value !== null && value !== undefined) {
      // Long values (a whole tag list) are clamped to a few lines; a click shows them whole.
      var span = el("span", value, "text" + (value.length > 90 ? " clamped" : ""));
      if (value.length > 90) {
        span.title = value;
        span.addEventListener("click", function () { span.classList.toggle("clamped"); });
      }
      td.appendChild(span);
    }
    if (base !== null && base !== undefined && base !== value) {
      var was = el("span", null, "was");
      was.appendChild(translated("span", "was"));
      was.appendChild(document.createTextNode(" " + base));
      td.appendChild(was);
    }
    if (extra) td.appendChild(extra);
    return td;
  }

  function row(d) {
    var tr = el("tr");
    tr.setAttribute("data-id", d.id);
    tr.setAttribute("data-kind", d.kind);
    tr.setAttribute("data-proposal", d.proposal);

    var place = el("td");
    if (markers[d.id]) {
      var locate = el("button", "◎", "locate");
      locate.type = "button";
      locate.setAttribute("data-locate", d.id);
      place.appendChild(locate);
    }
    place.appendChild(el("span", d.name || "—", "place-name"));
    place.appendChild(el("span", [d.source_id, d.osm_id].filter(function (v) { return v; }).join(" · "), "ids"));
    var links = el("span", null, "links");
    if (d.osm_url) links.appendChild(link(d.osm_url, "link.osm", "osm-link", "_blank", "link.osm_title"));
    if (d.city_url) links.appendChild(link(d.city_url, "link.city", "city-link", "_blank", "link.city_title"));
    editorLinks(d, links);
    place.appendChild(links);
    objectLinks(d, place);
    tr.appendChild(place);

    // "Several categories fit" is a word of the page, not a category name: it is translated.
    tr.appendChild(d.category === data.unknown_category ? translated("td", "category.unknown") : el("td", d.category));
    var kindCell = el("td");
    kindCell.appendChild(badge("kind", d.kind, data.colours[d.kind], data.text_colours[d.kind]));
    tr.appendChild(kindCell);
    var field = el("td");
    if (d.field) field.appendChild(el("code", d.field));
    if (d.city_field) field.appendChild(el("span", d.city_field, "sub"));
    tr.appendChild(field);
    tr.appendChild(valueCell(d.city_value, d.base_city_value));
    var distance = null;
    if (d.distance_m !== null && d.distance_m !== undefined) {
      distance = el("span", Math.round(d.distance_m) + " m ", "sub");
      distance.appendChild(translated("span", "distance"));
    }
    tr.appendChild(valueCell(d.osm_value, d.base_osm_value, distance));
    var sideCell = el("td");
    sideCell.appendChild(badge("side", d.changed_side));
    tr.appendChild(sideCell);
    var prop = el("td");
    prop.appendChild(badge("proposal", d.proposal));
    if (d.note && d.note.en) {
      // Both languages ride along; the language switch rewrites the text (see onLanguage below).
      var note = el("span", d.note[ob.lang()] || d.note.en, "sub note");
      note.setAttribute("data-note-en", d.note.en);
      note.setAttribute("data-note-fr", d.note.fr || d.note.en);
      prop.appendChild(note);
    }
    if (d.owner) {
      // Several producers: the owner of the producer holding the field acts on it.
      var routed = el("span", null, "sub routed");
      routed.appendChild(translated("span", "routed.to"));
      routed.appendChild(document.createTextNode(" " + d.owner));
      prop.appendChild(routed);
    }
    tr.appendChild(prop);
    return tr;
  }

  function drawMore() {
    var fragment = document.createDocumentFragment();
    var end = Math.min(shown.length, drawn + data.page_size);
    for (var i = drawn; i < end; i++) fragment.appendChild(row(shown[i]));
    body.appendChild(fragment);
    drawn = end;
    more.hidden = drawn >= shown.length;
    document.getElementById("more-count").textContent = String(shown.length - drawn);
  }

  function redraw() {
    body.textContent = "";
    drawn = 0;
    drawMore();
    document.getElementById("shown-count").textContent = String(shown.length);
  }

  function filter() {
    var needle = (text.value || "").trim().toLowerCase();
    var keep = {};
    shown = all.filter(function (d) {
      var ok = (!needle || d._search.indexOf(needle) >= 0)
        && (!kind.value || d.kind === kind.value)
        && (!proposal.value || d.proposal === proposal.value)
        && (!category.value || d.category === category.value)
        && (!side.value || d.changed_side === side.value)
        && (!producer || !producer.value || (d.producers || []).indexOf(producer.value) >= 0);
      if (ok) keep[d.id] = true;
      return ok;
    });
    if (sortKey) order();
    if (layer) {
      Object.keys(markers).forEach(function (id) {
        var marker = markers[id];
        if (keep[id] && !layer.hasLayer(marker)) marker.addTo(layer);
        if (!keep[id] && layer.hasLayer(marker)) layer.removeLayer(marker);
      });
      fit(shown);
    }
    markActive();
    redraw();
    saveState();
  }

  // --- the address keeps the filters and the sort ---
  var controls = { q: text, kind: kind, proposal: proposal, category: category, side: side };
  if (producer) controls.producer = producer;

  function saveState() {
    var params = new URLSearchParams();
    Object.keys(controls).forEach(function (name) {
      if (controls[name].value) params.set(name, controls[name].value);
    });
    if (sortKey) params.set("sort", sortKey + ":" + (ascending ? "asc" : "desc"));
    var hash = params.toString();
    if (hash !== location.hash.slice(1)) history.replaceState(null, "", hash ? "#" + hash : location.pathname);
  }

  function loadState() {
    var params = new URLSearchParams(location.hash.slice(1));
    Object.keys(controls).forEach(function (name) {
      var value = params.get(name) || "";
      var control = controls[name];
      // A value the page does not offer (an old link) is ignored rather than hiding every row.
      if (control.tagName === "SELECT" && value && !control.querySelector("option[value='" + CSS.escape(value) + "']")) {
        value = "";
      }
      control.value = value;
    });
    var sort = (params.get("sort") || "").split(":");
    if (sortValue[sort[0]]) {
      sortKey = sort[0];
      ascending = sort[1] !== "desc";
      table.querySelectorAll("th[data-key]").forEach(function (th) {
        var key = th.getAttribute("data-key");
        th.setAttribute("aria-sort", key === sortKey ? (ascending ? "ascending" : "descending") : "none");
      });
    }
  }

  // The "who should change what" counts and the changed-side counts are filters too.
  function markActive() {
    document.querySelectorAll("[data-filter-proposal]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-filter-proposal") === proposal.value));
    });
    document.querySelectorAll("[data-filter-side]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-filter-side") === side.value));
    });
  }

  function choose(control, value) {
    control.value = control.value === value ? "" : value;
    filter();
    table.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  document.querySelectorAll("[data-filter-proposal]").forEach(function (button) {
    button.addEventListener("click", function () { choose(proposal, button.getAttribute("data-filter-proposal")); });
  });
  document.querySelectorAll("[data-filter-side]").forEach(function (button) {
    button.addEventListener("click", function () { choose(side, button.getAttribute("data-filter-side")); });
  });
  var clear = document.getElementById("filter-clear");
  if (clear) {
    clear.addEventListener("click", function () {
      Object.keys(controls).forEach(function (name) { controls[name].value = ""; });
      filter();
    });
  }

  function order() {
    var collator = new Intl.Collator(ob.lang(), { numeric: true, sensitivity: "base" });
    var value = sortValue[sortKey];
    var position = new Map(all.map(function (d, i) { return [d, i]; }));
    shown.sort(function (a, b) {
      var result = collator.compare(value(a), value(b));
      return (ascending ? result : -result) || position.get(a) - position.get(b);
    });
  }

  function sortBy(th) {
    var key = th.getAttribute("data-key");
    ascending = !(sortKey === key && ascending);
    sortKey = key;
    table.querySelectorAll("th[data-key]").forEach(function (other) { other.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    order();
    redraw();
    saveState();
  }

  table.querySelectorAll("th[data-key]").forEach(function (th) {
    th.tabIndex = 0;
    th.addEventListener("click", function () { sortBy(th); });
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(th); });
  });
  [text, kind, proposal, category, side, producer].filter(function (input) { return input; }).forEach(function (input) {
    input.addEventListener("input", filter);
    input.addEventListener("change", filter);
  });
  more.addEventListener("click", drawMore);
  body.addEventListener("click", function (e) {
    var id = e.target.getAttribute && e.target.getAttribute("data-locate");
    if (!id || !markers[id] || !map) return;
    document.getElementById("map").scrollIntoView({ behavior: "smooth", block: "center" });
    map.setView(markers[id].getLatLng(), 18);
    markers[id].openPopup();
  });

  drawMap();
  loadState();
  filter();
  window.addEventListener("hashchange", function () { loadState(); filter(); });
  ob.onLanguage(function (lang) {
    if (map) map.closePopup();
    translateCredit();
    document.querySelectorAll("span.note[data-note-en]").forEach(function (span) {
      span.textContent = span.getAttribute("data-note-" + lang) || span.getAttribute("data-note-en");
    });
  });
})();
