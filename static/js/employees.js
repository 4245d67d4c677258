// Employee pages: tidy filter URLs, and put the cursor in the first wrong field after htmx.
(function () {
  "use strict";
  // Leave empty filters out of the request, so the address bar reads ?q=jan, not ?q=jan&group=...
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt.matches || !event.detail.elt.matches("form.employee-filters")) { return; }
    var data = event.detail.formData;
    if (!data) { return; }
    Array.from(data.keys()).forEach(function (name) {
      if (data.getAll(name).every(function (value) { return value === ""; })) {
        delete event.detail.parameters[name];
      }
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var swapped = event.detail.target;
    if (!swapped || swapped.id !== "employee-fields") { return; }
    var region = document.getElementById("employee-fields");
    var invalid = region && region.querySelector("[aria-invalid=true]");
    var photoErrors = document.getElementById("employee-photo-errors");
    if (invalid) {
      invalid.focus();
    } else if (photoErrors && photoErrors.textContent.trim()) {
      document.getElementById("photo").focus();
    }
  });
})();
