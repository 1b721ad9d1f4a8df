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

  // The plan used to be one long page; its old anchors (#section-need, #rows-action) now
  // live on the section pages. The overview lists where each went; follow it.
  function followOldAnchor() {
    var hash = window.location.hash.slice(1);
    if (!hash) { return; }
    var links = document.querySelectorAll(".anchor-redirects a[data-anchor]");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("data-anchor") === hash) {
        window.location.replace(links[i].href);
        return;
      }
    }
  }
  document.addEventListener("DOMContentLoaded", followOldAnchor);

  // "Tick every action": every checkbox that belongs to the named form.
  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-select-all]");
    if (!all) { return; }
    document.querySelectorAll('input[type="checkbox"][form="' + all.getAttribute("data-select-all") + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });

  // The Markdown toolbar: wraps the selection (or inserts a marker) in the narrative.
  var MARKS = {
    bold: ["**", "**", "bold text"],
    italic: ["_", "_", "italic text"],
    heading: ["\n## ", "\n", "Sub-heading"],
    bullets: ["\n- ", "", "item"],
    numbers: ["\n1. ", "", "item"],
    link: ["[", "](https://)", "link text"]
  };
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-md]");
    if (!button) { return; }
    var bar = button.closest("[data-md-target]");
    var area = bar && document.querySelector(bar.getAttribute("data-md-target"));
    var mark = MARKS[button.getAttribute("data-md")];
    if (!area || !mark) { return; }
    var start = area.selectionStart, end = area.selectionEnd;
    var chosen = area.value.slice(start, end) || mark[2];
    area.setRangeText(mark[0] + chosen + mark[1], start, end, "end");
    area.focus();
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // Drafts: what is typed in a narrative is kept in this browser until the same text is
  // on the server, so a failed save or a timed-out session loses nothing.
  function draftStore() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  function setupDraft(area) {
    var store = draftStore();
    var key = area.getAttribute("data-draft-key");
    if (!store || !key) { return; }
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    var notice = document.querySelector(".draft-notice");
    var status = document.querySelector(".draft-status");
    if (saved && saved.text === area.value) {
      store.removeItem(key);  // the server has it: nothing to keep
    } else if (saved && saved.text && notice) {
      notice.hidden = false;
      var when = notice.querySelector(".draft-when");
      if (when) { when.textContent = new Date(saved.at).toLocaleString("en-GB"); }
      notice.querySelector("[data-draft-restore]").addEventListener("click", function () {
        area.value = saved.text;
        notice.hidden = true;
        area.dispatchEvent(new Event("input", { bubbles: true }));
        area.focus();
      });
      notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
        store.removeItem(key);
        notice.hidden = true;
        area.focus();
      });
    }
    var timer = null;
    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        store.setItem(key, JSON.stringify({ text: area.value, at: Date.now() }));
        if (status) { status.textContent = "Draft kept in this browser."; }
      }, 500);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-draft-key]").forEach(setupDraft);
  });
})();
