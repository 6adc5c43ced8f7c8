/* Townsquare embed: <script src="https://comments.example/static/townsquare/embed.js"
 *   data-site="my-paper" data-article="story-123" data-title="Headline" async></script>
 * Places the comments iframe after the script tag and keeps its height in step with its content. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var origin = new URL(script.src).origin;
  var site = script.getAttribute("data-site");
  var canonical = document.querySelector('link[rel="canonical"]');
  var url = script.getAttribute("data-url") || (canonical && canonical.href) || location.href.split("#")[0];
  var key = script.getAttribute("data-article") || url;
  var params = new URLSearchParams({ key: key, url: url, title: script.getAttribute("data-title") || document.title });
  // Publisher single sign-on: a short-lived token the publisher signed for its signed-in reader.
  var sso = script.getAttribute("data-sso-token");
  /* An empty data-sso-token says the publisher's reader is signed out: the frame signs its
   * publisher-made session out too, so the next person at a shared computer is not them. */
  if (sso !== null) { params.set("sso", sso); }
  var frame = document.createElement("iframe");
  frame.src = origin + "/embed/" + encodeURIComponent(site) + "/?" + params.toString();
  frame.title = script.getAttribute("data-frame-title") || "Reader comments";
  frame.setAttribute("loading", "lazy");
  frame.style.cssText = "width:100%;border:0;min-height:320px;display:block;";
  frame.className = "townsquare-frame";
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) { return; }
    var data = event.data || {};
    if (data.townsquare === "resize" && typeof data.height === "number") {
      frame.style.height = Math.ceil(data.height) + "px";
    }
  });
})();
