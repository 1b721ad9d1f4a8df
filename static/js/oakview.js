// Oakview behaviour: small, progressive, no inline script (CSP script-src 'self').
(function () {
  "use strict";

  // Buttons and links marked data-confirm ask before a destructive action. The server
  // still asks too (a GET on a destructive URL shows a confirmation page).
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Live word count for narrative fields:
  // <textarea data-word-count="#target" data-word-pattern="...">. The pattern is the
  // server's (plans.snapshot.text.WORD_PATTERN), so Markdown markers are not words here
  // either and the number on screen is the number saved. data-skip-pattern (XREF_PATTERN)
  // matches cross-references to appendices, which are citations, not counted words.
  function countWords(area) {
    var pattern = area.getAttribute("data-word-pattern");
    var skip = area.getAttribute("data-skip-pattern");
    var text = skip ? area.value.replace(new RegExp(skip, "g"), " ") : area.value;
    var found = pattern ? text.match(new RegExp(pattern, "g")) : text.trim().split(/\s+/).filter(Boolean);
    return found ? found.length : 0;
  }
  function updateCount(area) {
    var target = document.querySelector(area.getAttribute("data-word-count"));
    if (target) {
      var n = countWords(area);
      target.textContent = n.toLocaleString("en-GB") + (n === 1 ? " word" : " words");
    }
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches("textarea[data-word-count]")) {
      updateCount(event.target);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-word-count]").forEach(updateCount);
  });
})();
