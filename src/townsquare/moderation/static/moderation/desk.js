/* Keyboard shortcuts for the moderator's desk: j/k move, a approve, r reject, c thread, h history,
   x select, / search, ? help. No inline handlers: CSP allows only scripts from our own origin. */
(function () {
  "use strict";
  var current = null;

  function openItems() {
    return Array.prototype.slice.call(document.querySelectorAll(".mod-item:not(.mod-done)"));
  }
  function mark(el) {
    if (current) { current.classList.remove("is-current"); }
    current = el || null;
    if (current) { current.classList.add("is-current"); }
  }
  function select(el) {
    mark(el);
    if (current) {
      current.focus({ preventScroll: true });
      current.scrollIntoView({ block: "nearest" });
    }
  }
  // The open comment holding keyboard focus (its button, link or panel), if any.
  function focusedItem() {
    var active = document.activeElement;
    return active && active.closest ? active.closest(".mod-item:not(.mod-done)") : null;
  }
  // Shortcuts act on the comment the moderator tabbed into, not on one the cursor left elsewhere;
  // the cursor is the fallback only while focus is outside every comment.
  function target() {
    var item = focusedItem();
    if (item) {
      if (item !== current) { mark(item); }
      return item;
    }
    if (!current || !document.body.contains(current) || current.classList.contains("mod-done")) { move(1); }
    return current;
  }
  function move(step) {
    var list = openItems();
    if (!list.length) { select(null); return; }
    var i = list.indexOf(current);
    select(i < 0 ? list[0] : list[Math.min(Math.max(i + step, 0), list.length - 1)]);
  }
  function press(key) {
    var item = target();
    var button = item && item.querySelector("[data-key='" + key + "']");
    if (button) { button.click(); }
  }
  function updateSelected() {
    var out = document.getElementById("mod-selected-count");
    if (out) { out.textContent = String(document.querySelectorAll(".mod-select:checked").length); }
  }
  function help() {
    var dialog = document.getElementById("mod-help");
    if (dialog && !dialog.open) { dialog.showModal(); }
  }

  // Where letters are typed, they are text. A comment's selection box takes no letters (only the space
  // bar), so a moderator who tabbed onto it can still press a, r or x for that comment.
  function typing(t) {
    if (!t) { return false; }
    if (t.tagName === "INPUT") { return t.type !== "checkbox"; }
    return t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var t = event.target;
    if (typing(t)) {
      if (event.key === "Escape") { t.blur(); }
      return;
    }
    if (document.querySelector("dialog[open]")) { return; }
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": press("a"); break;
      case "r": press("r"); break;
      case "c": press("c"); break;
      case "h": press("h"); break;
      case "x":
        var chosen = target();
        var box = chosen && chosen.querySelector(".mod-select");
        if (box) { box.checked = !box.checked; updateSelected(); }
        break;
      case "/": var q = document.getElementById("mod-q"); if (q) { q.focus(); } break;
      case "?": help(); break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-help]") : null;
    if (target) { help(); return; }
    var item = event.target instanceof Element ? event.target.closest(".mod-item:not(.mod-done)") : null;
    if (item && item !== current) { mark(item); }
  });
  document.addEventListener("focusin", function () {
    var item = focusedItem();
    if (item && item !== current) { mark(item); }
  });

  document.addEventListener("change", function (event) {
    var t = event.target;
    if (t.id === "mod-select-all") {
      document.querySelectorAll(".mod-select").forEach(function (box) { box.checked = t.checked; });
    }
    if (t.matches && t.matches("[data-navigate]")) { window.location.assign(t.value); }
    updateSelected();
  });

  // A decided comment is swapped for a one-line summary: the cursor moves on to the next open one.
  // (htmx settles attributes after the swap, so the choice is made before it and applied after.)
  var pending = null;
  function isOpen(el) {
    return el && el.classList && el.classList.contains("mod-item") && !el.classList.contains("mod-done");
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!current || event.detail.target !== current || event.detail.xhr.status >= 400) { return; }
    var next = current.nextElementSibling;
    while (next && !isOpen(next)) { next = next.nextElementSibling; }
    if (!next) {
      next = current.previousElementSibling;
      while (next && !isOpen(next)) { next = next.previousElementSibling; }
    }
    pending = next || "none";
  });
  // "Load more" is swapped for the next comments: focus goes to the first of them, where the reading
  // goes on, instead of falling back to the top of the page with the link it replaced.
  var loadedAfter = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var more = event.detail.target;
    if (!more || !more.classList || !more.classList.contains("mod-more")) { return; }
    if (event.detail.xhr.status >= 400) { return; }
    loadedAfter = { list: more.parentNode, previous: more.previousElementSibling };
  });
  function firstLoaded() {
    var was = loadedAfter;
    loadedAfter = null;
    var first = was.previous ? was.previous.nextElementSibling : was.list.firstElementChild;
    return isOpen(first) ? first : null;
  }

  // The counts' poll runs every few seconds by itself: it neither clears a refusal the moderator has
  // yet to read nor announces its own failures (it tries again).
  function isPoll(event) {
    var elt = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
    return !!(elt && elt.id === "mod-tabs");
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    if (pending) {
      current = null;
      select(pending === "none" ? null : pending);
      pending = null;
    }
    if (loadedAfter) {
      var first = firstLoaded();
      if (first) { select(first); }
    }
    var alert = document.getElementById("mod-alert");
    if (alert && !isPoll(event)) { alert.textContent = ""; }
    if (isPoll(event)) { retitle(); }
  });
  // The window's title carries the open queue's count ("Held (12) · …"), which a moderator watches
  // from another tab: it follows the polled badge.
  function retitle() {
    var badge = document.querySelector('#mod-tabs [aria-current="page"] [data-count]');
    if (!badge) { return; }
    document.title = document.title.replace(/\(\d+\)/, "(" + badge.textContent.trim() + ")");
  }

  // Screen readers read out what changes in a live region, not what it held when the page loaded: the
  // outcome a bulk action's redirect brings ("Rejected 50 comments.") is written into #mod-status
  // again once the page is up, in place, so it is announced without moving anything on screen.
  window.addEventListener("load", function () {
    var status = document.getElementById("mod-status");
    if (!status || !status.firstElementChild) { return; }
    window.setTimeout(function () { status.innerHTML = status.innerHTML; }, 250);
  });

  // A refusal (409: another moderator decided first; 400: no reason chosen) leaves the comment where
  // it is, htmx swapping nothing, and the server's message goes to the alert region.
  document.addEventListener("htmx:responseError", function (event) {
    var alert = document.getElementById("mod-alert");
    if (!alert || isPoll(event)) { return; }
    var doc = new DOMParser().parseFromString(event.detail.xhr.responseText || "", "text/html");
    alert.textContent = (doc.body && doc.body.textContent.trim()) || "That did not work. Try again.";
  });
})();
