// Long lists (countries, organisations) get a filter box; progressive enhancement only:
// without this file they are ordinary <select>s. Typing narrows the options, folded the
// server's way (the letter table comes with the select, from conference/text.py), so
// "سالح" finds "ساڵح" and "ira" finds "Iraq". The first match is chosen as one types.
(function () {
  "use strict";
  if (window.tadamunSearchableSelect) return; // the script tag comes with each widget
  window.tadamunSearchableSelect = true;

  function apply(text, map) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      out += Object.prototype.hasOwnProperty.call(map, ch) ? map[ch] : ch;
    }
    return out;
  }

  function fold(text, map) {
    var folded = apply(text.normalize("NFKC"), map);
    folded = folded.normalize("NFKD").replace(/\p{M}/gu, "");
    return apply(folded.normalize("NFC"), map).toLowerCase().replace(/\s+/g, " ").trim();
  }

  function enhance(select) {
    if (select.dataset.enhanced === "1") return;
    select.dataset.enhanced = "1";
    var map = JSON.parse(select.getAttribute("data-fold-map") || "{}");
    var items = Array.prototype.map.call(select.options, function (option) {
      return { option: option, key: fold(option.text, map) };
    });
    var input = document.createElement("input");
    input.type = "search";
    input.className = "searchable-select__filter";
    input.autocomplete = "off";
    input.placeholder = select.getAttribute("data-filter-label");
    var label = select.labels && select.labels[0] ? select.labels[0].textContent.trim() + ": " : "";
    input.setAttribute("aria-label", label + input.placeholder);
    if (select.id) input.setAttribute("aria-controls", select.id);
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(status, select.nextSibling);

    input.addEventListener("input", function () {
      var query = fold(input.value, map);
      var chosen = select.value;
      var matches = [];
      while (select.options.length) select.remove(0);
      items.forEach(function (item) {
        var blank = item.option.value === "";
        if (!query || blank || item.key.indexOf(query) !== -1) {
          select.add(item.option);
          if (!blank) matches.push(item.option.value);
        }
      });
      if (query && matches.length && matches.indexOf(chosen) === -1) chosen = matches[0];
      select.value = chosen;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      status.textContent = query ? select.getAttribute("data-count-label").replace("{n}", matches.length) : "";
    });
    // Enter in the box must not send the form half-chosen.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); select.focus(); }
    });
  }

  function start() { document.querySelectorAll("select[data-searchable]").forEach(enhance); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
