/* The reader page: tell the publisher's page how tall we are (inside its iframe), show refusals,
 * and keep live updates from adding a comment twice. */
(function () {
  "use strict";
  var framed = window.parent !== window;
  var last = 0;
  function report() {
    if (!framed) { return; }
    /* The body's own height: the document's scrollHeight is never less than the frame's current
     * height, so the frame would grow with an open form and never shrink back. */
    var style = window.getComputedStyle(document.body);
    var height = Math.ceil(document.body.getBoundingClientRect().height +
      parseFloat(style.marginTop) + parseFloat(style.marginBottom));
    if (height !== last) {
      last = height;
      window.parent.postMessage({ townsquare: "resize", height: height }, "*");
    }
  }
  /* htmx leaves 4xx answers unswapped, but ours carry the message the reader needs ("Write something
   * before posting."): a form answered with the form again (the text kept, the message in it) shows it
   * in place; any other answer goes to the status line, so a refusal never replaces what was typed. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status < 400 || xhr.status >= 500) { return; }
    /* The background poll for new comments tries again by itself: its refusals (a busy server's
     * 429) are not the reader's doing, and announcing each one would interrupt every 15 s. */
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.id === "ts-live") { return; }
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    var elt = event.detail.elt;
    var isForm = elt && elt.matches && elt.matches("form.ts-form");
    if (!(isForm && /<form class="ts-form"/.test(xhr.responseText || ""))) {
      var line = document.getElementById("ts-posted");
      if (line) {
        event.detail.target = line;
        event.detail.swapOverride = "innerHTML";
      }
    }
  });
  /* Live updates add each newly public comment. One that is on the page already (published, held
   * after an edit, approved again) is updated in place, its loaded replies kept, not added twice. */
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var fragment = event.detail.fragment;
    var incoming = fragment && fragment.querySelector ? fragment.querySelector("li.ts-comment[id]") : null;
    var present = incoming ? document.getElementById(incoming.id) : null;
    if (!present) { return; }
    event.detail.shouldSwap = false;
    var replies = present.querySelector(":scope > .ts-replies");
    var empty = incoming.querySelector(":scope > .ts-replies");
    if (replies && empty) { incoming.replaceChild(replies, empty); }
    present.replaceWith(incoming);
    if (window.htmx) { window.htmx.process(incoming); }
  });
  /* A page loaded with "Load more" may hold a comment that live updates showed already (approved
   * late, so placed on top): keep the one on the page, drop the copy. After a swap from "Load more",
   * focus moves to the first comment it added; after a sort, the sort links say which is current. */
  var pendingList = null;
  var pendingFocusAfter = -1;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.elt;
    var list = elt && elt.closest && elt.closest("li.ts-more") ? elt.closest("ol") : null;
    if (list) {
      pendingList = list;
      pendingFocusAfter = list.querySelectorAll(":scope > li.ts-comment").length;
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var seen = {};
    document.querySelectorAll("li.ts-comment[id]").forEach(function (li) {
      if (seen[li.id]) { li.remove(); } else { seen[li.id] = true; }
    });
    if (pendingList && pendingFocusAfter >= 0) {
      var added = pendingList.querySelectorAll(":scope > li.ts-comment")[pendingFocusAfter];
      var target = added && added.querySelector("article");
      if (target) {
        if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
        target.focus();
      }
    }
    pendingFocusAfter = -1;
    pendingList = null;
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (trigger && trigger.closest && trigger.closest("nav.ts-sort")) {
      trigger.closest("nav.ts-sort").querySelectorAll("a").forEach(function (a) {
        if (a === trigger) { a.setAttribute("aria-current", "true"); } else { a.removeAttribute("aria-current"); }
      });
    }
  });
  /* Focus never falls back to the page's start after a swap took the focused element away: it goes
   * to the form's text when the answer is a message about it, else to the first comment the swap
   * added, else to the comment the swap replaced (after Save, Delete, Send report). */
  var before = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    var article = trigger && trigger.closest ? trigger.closest("article[id]") : null;
    var scope = target && target.closest ? (target.closest("ol") || document) : document;
    var ids = {};
    scope.querySelectorAll("li.ts-comment[id]").forEach(function (li) { ids[li.id] = true; });
    var text = trigger && trigger.matches && trigger.matches("form.ts-form") ? trigger.querySelector("textarea") : null;
    before = { scope: scope, ids: ids, article: article ? article.id : null, text: text ? text.id : null };
  });
  function focusOn(element) {
    if (!element) { return false; }
    if (element.matches("article") && !element.hasAttribute("tabindex")) { element.setAttribute("tabindex", "-1"); }
    element.focus();
    return document.activeElement === element;
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    var was = before;
    before = null;
    var active = document.activeElement;
    if (!was || (active && active !== document.body && document.body.contains(active))) { return; }
    var text = was.text ? document.getElementById(was.text) : null;
    if (text && text.form.querySelector(".ts-error, .ts-nudge") && focusOn(text)) { return; }
    var scope = document.body.contains(was.scope) ? was.scope : document;
    var added = Array.prototype.filter.call(scope.querySelectorAll("li.ts-comment[id]"), function (li) {
      return !was.ids[li.id];
    });
    if (added.length && focusOn(added[0].querySelector("article"))) { return; }
    if (was.article) { focusOn(document.getElementById(was.article)); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    report();
    if (window.ResizeObserver) { new ResizeObserver(report).observe(document.body); }
    document.body.addEventListener("htmx:afterSettle", report);
    document.body.addEventListener("toggle", report, true);
  });
})();
