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
  // A button with data-confirm asks before its form is sent.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
