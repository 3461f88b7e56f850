// Field survey: answers go to an outbox in localStorage first, then to the server; an answer the
// network lost stays there and is sent again when the connection comes back. Each answer carries
// an id made here, so the server records it once however often it arrives.
(function () {
  "use strict";
  var OUTBOX = "osmbridge.survey.outbox";
  var RETRY_MS = 5000;
  var form = document.getElementById("answer-form");
  var panel = document.getElementById("answer-panel");
  var status = document.getElementById("outbox");
  var strings = JSON.parse((document.getElementById("survey-strings") || {}).textContent || "{}");
  var map = null, marker = null, sending = false, sent = 0;

  // The outbox holds everyone's answers made on this phone; each is sent only in its author's own
  // session, so that an answer is never signed by the next person who logs in.
  function stored() {
    try { return JSON.parse(localStorage.getItem(OUTBOX) || "[]"); } catch (e) { return []; }
  }
  function mine(entry) { return entry.who === form.dataset.user; }
  function load() { return stored().filter(mine); }
  function save(list) {
    localStorage.setItem(OUTBOX, JSON.stringify(stored().filter(function (e) { return !mine(e); }).concat(list)));
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function say(text) {
    status.textContent = text || "";
    status.hidden = !text;
  }

  function showCount() {
    var waiting = load().length;
    var single = !document.getElementById("places");  // a place's own page: say it went
    say(waiting ? strings.pending.replace("{count}", String(waiting)) : sent && single ? "✓ " + strings.sent : "");
  }

  function row(body) {
    // The place's line in the list, if this page has one.
    var rows = document.querySelectorAll("li.place");
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (r.dataset.dataset === body.dataset && r.dataset.sourceId === (body.source_id || "")
          && r.dataset.osmKey === (body.osm_key || "")) return r;
    }
    return null;
  }

  function mark(body, text, css) {
    var r = row(body);
    if (!r) return;
    var line = r.querySelector(".status");
    line.textContent = text;
    r.classList.remove("pending", "surveyed", "refused");
    r.classList.add(css);
  }

  function flush() {
    var list = load();
    if (sending || !list.length) { showCount(); return; }
    sending = true;
    var body = list[0];
    fetch(form.action, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRF-Token": document.body.dataset.csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 401 || response.status === 403 || response.status >= 500) {
        // Logged out, an old token, a server in trouble: keep the answer, say so, try again later.
        sending = false;
        say(response.status === 401 || response.status === 403 ? strings.relogin : strings.pending.replace(
          "{count}", String(load().length)));
        return;
      }
      return response.json().catch(function () { return {}; }).then(function (data) {
        save(load().filter(function (queued) { return queued.answer_id !== body.answer_id; }));
        if (response.ok) { sent += 1; mark(body, "✓ " + strings.sent, "surveyed"); }
        else mark(body, strings.refused.replace("{detail}", data.detail || response.status), "refused");
        sending = false;
        flush();
      });
    }).catch(function () {
      sending = false;  // no network: the answer stays in the outbox
      showCount();
    });
  }

  function queue(submitter) {
    var data = new FormData(form);
    var body = {};
    data.forEach(function (value, key) { if (key !== "csrf_token" && key !== "area") body[key] = value; });
    body.answer = submitter.value;
    body.observed_at = new Date().toISOString();
    body.who = form.dataset.user;
    var list = load();
    if (!list.some(function (queued) { return queued.answer_id === body.answer_id; })) list.push(body);
    save(list);
    mark(body, "… " + strings.queued, "pending");
    form.reset();
    form.elements.answer_id.value = newId();  // the next answer is another one
    if (!document.querySelector(".survey-one")) panel.hidden = true;
    flush();
  }

  function centre() {
    var element = document.getElementById("survey-map");
    return [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
  }

  function showMap() {
    if (typeof L === "undefined") return;
    if (!map) {
      map = L.map("survey-map");
      L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
        maxZoom: 19, attribution: document.getElementById("survey-map").dataset.attribution
      }).addTo(map);
      map.on("click", function (event) {
        var at = event.latlng;
        if (marker) marker.setLatLng(at); else marker = L.marker(at).addTo(map);
        form.elements.lat.value = at.lat.toFixed(7);
        form.elements.lon.value = at.lng.toFixed(7);
      });
    }
    map.invalidateSize();
    map.setView(centre(), 18);
    document.getElementById("survey-map").dataset.ready = "1";
  }

  function open(place) {
    // Fill the one form with this place and show it under the place's line.
    form.reset();
    form.elements.answer_id.value = newId();
    form.elements.dataset.value = place.dataset.dataset;
    form.elements.source_id.value = place.dataset.sourceId;
    form.elements.osm_key.value = place.dataset.osmKey;
    document.getElementById("answer-place").textContent = place.querySelector(".name").textContent;
    var element = document.getElementById("survey-map");
    element.dataset.lat = place.dataset.lat;
    element.dataset.lon = place.dataset.lon;
    if (marker) { marker.remove(); marker = null; }
    panel.querySelectorAll("details").forEach(function (d) { d.open = false; });
    place.after(panel);
    panel.hidden = false;
    panel.scrollIntoView({ block: "start" });
  }

  if (!form) return;
  form.elements.answer_id.value = form.elements.answer_id.value || newId();
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    queue(event.submitter || form.querySelector("button[name=answer]"));
  });
  document.getElementById("answer-moved").addEventListener("toggle", function (event) {
    if (event.target.open) showMap();
  });
  document.querySelectorAll("li.place a.place-open").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      open(link.closest("li.place"));
    });
  });
  var close = document.getElementById("answer-close");
  if (close) close.addEventListener("click", function () { panel.hidden = true; });
  load().forEach(function (body) { mark(body, "… " + strings.queued, "pending"); });
  window.addEventListener("online", flush);
  setInterval(flush, RETRY_MS);
  flush();
})();
