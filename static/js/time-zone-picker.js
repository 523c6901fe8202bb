// A search box above each long time-zone list (select[data-time-zone-picker]): typing narrows
// the options to those whose name, country, offset or IANA id holds every word typed, and
// picks the first of them. Without JavaScript the list is a plain select.
(function () {
  "use strict";

  function normalize(text) {
    return text
      .toLowerCase()
      // Persian digits and the Arabic forms of yeh and kaf, as a Persian keyboard may type them.
      .replace(/[\u06f0-\u06f9]/g, function (digit) { return String(digit.charCodeAt(0) - 0x06f0); })
      .replace(/[\u0660-\u0669]/g, function (digit) { return String(digit.charCodeAt(0) - 0x0660); })
      .replace(/\u064a/g, "\u06cc")
      .replace(/\u0643/g, "\u06a9")
      .replace(/[\u200c\u2068\u2069]/g, "")
      .replace(/\u2212/g, "-")
      .replace(/[_/,\u060c()]/g, " ");
  }

  document.querySelectorAll("select[data-time-zone-picker]").forEach(function (select) {
    var entries = Array.prototype.map.call(select.options, function (option) {
      return { option: option, text: normalize(option.textContent + " " + option.value) };
    });
    var search = document.createElement("input");
    search.type = "search";
    search.className = "time-zone-search";
    search.autocomplete = "off";
    search.placeholder = select.getAttribute("data-search-label") || "";
    search.setAttribute("aria-label", search.placeholder);
    search.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(search, select);

    search.addEventListener("input", function () {
      var words = normalize(search.value).split(/\s+/).filter(Boolean);
      var matching = entries.filter(function (entry) {
        return words.every(function (word) { return entry.text.indexOf(word) !== -1; });
      });
      if (!matching.length) {
        return; // keep the list as it is rather than show an empty one
      }
      var chosen = select.value;
      select.textContent = "";
      matching.forEach(function (entry) { select.appendChild(entry.option); });
      var stillThere = matching.some(function (entry) { return entry.option.value === chosen; });
      select.value = stillThere && words.length === 0 ? chosen : matching[0].option.value;
    });
  });
})();
