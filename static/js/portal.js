// The portal's own script: small, no inline handlers (the CSP forbids them).
(function () {
  "use strict";
  // htmx does not swap 4xx/5xx answers (except 422): show their message in the page instead.
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("htmx-error");
    if (!box) { return; }
    // DOMParser builds an inert document: nothing in the answer runs or loads.
    var answer = new DOMParser().parseFromString(event.detail.xhr.responseText || "", "text/html");
    var message = answer.querySelector("main [role=alert], main h1, [role=alert]");
    box.textContent = message ? message.textContent.trim() : box.dataset.fallback || "Error";
    box.hidden = false;
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("htmx-error");
    if (box) {
      box.textContent = box.dataset.offline || "No connection. Try again.";
      box.hidden = false;
    }
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("htmx-error");
    if (box) { box.hidden = true; }
  });
  // A table wider than the screen scrolls sideways inside its box. A keyboard user can only
  // scroll a box that takes focus, so while it overflows the box is a named, focusable region.
  function reachableScrollers() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1;
      if (overflows && !box.hasAttribute("data-scroll-region")) {
        var caption = box.querySelector("caption") || document.querySelector("main h1");
        box.setAttribute("data-scroll-region", "");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
      } else if (!overflows && box.hasAttribute("data-scroll-region")) {
        ["data-scroll-region", "tabindex", "role", "aria-label"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }
  document.addEventListener("DOMContentLoaded", reachableScrollers);
  document.addEventListener("htmx:afterSettle", reachableScrollers);
  window.addEventListener("resize", reachableScrollers);
  // A button with data-confirm asks before its form is sent.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
