/* Inside the comments iframe: tell the publisher's page how tall we are. */
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var last = 0;
  function report() {
    var height = document.documentElement.scrollHeight;
    if (height !== last) {
      last = height;
      window.parent.postMessage({ townsquare: "resize", height: height }, "*");
    }
  }
  /* htmx leaves 4xx answers unswapped, but ours carry the message the reader needs ("Write something
   * before posting."): a form shows it in place, any other action in the status line. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status < 400 || status >= 500) { return; }
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    var elt = event.detail.elt;
    if (!(elt && elt.matches && elt.matches("form.ts-form"))) {
      var line = document.getElementById("ts-posted");
      if (line) {
        event.detail.target = line;
        event.detail.swapOverride = "innerHTML";
      }
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    report();
    if (window.ResizeObserver) { new ResizeObserver(report).observe(document.body); }
    document.body.addEventListener("htmx:afterSettle", report);
    document.body.addEventListener("toggle", report, true);
  });
})();
