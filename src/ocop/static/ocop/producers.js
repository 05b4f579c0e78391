// Producer pages (CSP: loaded as a file, never inline).
// A select marked data-searchable gets a small "type to filter" box above it: options whose text
// does not contain what was typed (diacritics and case ignored) are hidden. The commune options are
// replaced by htmx when the province changes; the filter is applied again after each swap.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().trim();
  }

  function applyFilter(select, query) {
    var needle = fold(query);
    Array.prototype.forEach.call(select.options, function (option) {
      var keep = !needle || option.value === "" || option.selected || fold(option.text).indexOf(needle) !== -1;
      option.hidden = !keep;
      option.disabled = !keep && option.value !== "";
    });
  }

  function enhance(select) {
    if (select.dataset.searchableReady) { return; }
    select.dataset.searchableReady = "true";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.dataset.searchPlaceholder || "";
    box.setAttribute("aria-label", select.dataset.searchPlaceholder || "");
    box.setAttribute("autocomplete", "off");
    box.dataset.testid = "unit-filter-box";
    select.parentNode.insertBefore(box, select);
    // Typing here must not submit or refresh the surrounding list form.
    box.addEventListener("input", function (event) {
      event.stopPropagation();
      applyFilter(select, box.value);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); select.focus(); }
    });
    select._ocopFilterBox = box;
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select[data-searchable]"), enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  if (document.readyState !== "loading") { enhanceAll(document); }

  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.matches && target.matches("select[data-searchable]")) {
      if (target._ocopFilterBox) {
        target._ocopFilterBox.value = "";
        applyFilter(target, "");
      }
    } else {
      enhanceAll(target);
    }
  });
})();
