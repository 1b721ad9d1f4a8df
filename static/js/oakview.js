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

  // Live word count for narrative fields: <textarea data-word-count="#target">.
  function countWords(text) {
    var words = text.trim().split(/\s+/).filter(Boolean);
    return words.length;
  }
  function updateCount(area) {
    var target = document.querySelector(area.getAttribute("data-word-count"));
    if (target) {
      target.textContent = countWords(area.value) + " words";
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
