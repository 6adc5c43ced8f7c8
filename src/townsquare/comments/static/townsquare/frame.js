/* The reader page: tell the publisher's page how tall we are (inside its iframe), show refusals,
 * and keep live updates from adding a comment twice. */
(function () {
  "use strict";
  var framed = window.parent !== window;
  var last = 0;
  function report() {
    if (!framed) { return; }
    var height = document.documentElement.scrollHeight;
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
  document.addEventListener("DOMContentLoaded", function () {
    report();
    if (window.ResizeObserver) { new ResizeObserver(report).observe(document.body); }
    document.body.addEventListener("htmx:afterSettle", report);
    document.body.addEventListener("toggle", report, true);
  });
})();
