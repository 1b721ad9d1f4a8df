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
  // either and the number on screen is the number saved.
  function countWords(area) {
    var pattern = area.getAttribute("data-word-pattern");
    var found = pattern ? area.value.match(new RegExp(pattern, "g")) : area.value.trim().split(/\s+/).filter(Boolean);
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

  // A form that changes something is sent once: its buttons are disabled while it is sent
  // (after the submit event, so the pressed button's name and value still go with it).
  // The server refuses a second send of a create form anyway (its one-time token). Only
  // buttons disabled here are enabled again: a button the page disabled stays so.
  function setSending(form, sending) {
    form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (b) {
      if (sending && !b.disabled) {
        b.disabled = true;
        b.setAttribute("data-sending", "");
      } else if (!sending && b.hasAttribute("data-sending")) {
        b.disabled = false;
        b.removeAttribute("data-sending");
      }
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") {
      return;
    }
    if (event.defaultPrevented && !form.hasAttribute("hx-post")) {
      return; // something cancelled the send
    }
    window.setTimeout(function () { setSending(form, true); }, 0);
  });
  // htmx answered (or failed): the form is usable again, for the next entry or a correction.
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    var form = elt && elt.closest ? elt.closest("form") : null;
    if (form) {
      setSending(form, false);
    }
  });
  // Back to a page kept in the browser's cache: its buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form").forEach(function (form) { setSending(form, false); });
    }
  });
})();
