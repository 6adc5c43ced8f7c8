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
  document.addEventListener("DOMContentLoaded", function () {
    report();
    if (window.ResizeObserver) { new ResizeObserver(report).observe(document.body); }
    document.body.addEventListener("htmx:afterSettle", report);
    document.body.addEventListener("toggle", report, true);
  });
})();
