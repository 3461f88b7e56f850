// Language switch shared by every osmbridge page: the strings come in the page's JSON data.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("osmbridge-data").textContent);
  var strings = data.strings;
  var listeners = [];

  function pick() {
    var langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || "en"];
    for (var i = 0; i < langs.length; i++) {
      var code = String(langs[i]).slice(0, 2).toLowerCase();
      if (strings[code]) return code;
    }
    return "en";
  }

  var current = pick();

  function apply(lang) {
    current = lang;
    var table = strings[lang];
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach(function (el) {
      var text = table[el.getAttribute("data-i18n")];
      if (text !== undefined) el.textContent = text;
    });
    // Sentences with values in them: the values stay text, never markup.
    document.querySelectorAll("[data-i18n-format]").forEach(function (el) {
      var params = JSON.parse(el.getAttribute("data-i18n-params") || "{}");
      var text = table[el.getAttribute("data-i18n-format")];
      if (text === undefined) return;
      el.textContent = text.replace(/\{(\w+)\}/g, function (match, name) {
        return Object.prototype.hasOwnProperty.call(params, name) ? params[name] : match;
      });
    });
    document.querySelectorAll("[data-i18n-placeholder]").forEach(function (el) {
      el.placeholder = table[el.getAttribute("data-i18n-placeholder")];
    });
    document.querySelectorAll("[data-i18n-title]").forEach(function (el) {
      el.title = table[el.getAttribute("data-i18n-title")];
    });
    listeners.forEach(function (fn) { fn(lang); });
  }

  var button = document.getElementById("lang-switch");
  if (button) {
    button.addEventListener("click", function () {
      apply(current === "fr" ? "en" : "fr");
    });
  }

  window.osmbridge = {
    data: data,
    lang: function () { return current; },
    t: function (key) { return strings[current][key] || strings.en[key] || key; },
    onLanguage: function (fn) { listeners.push(fn); },
    apply: apply,
  };
  apply(current);
})();
