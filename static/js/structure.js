// Location form: only a client site has a client, so the client list is off for an own site.
// Without this script the server still refuses a client for an own site, with a message.
(function () {
  "use strict";
  function sync() {
    var kind = document.querySelector("select#kind");
    var client = document.querySelector("select#client");
    if (!kind || !client || kind.disabled) { return; }
    var own = kind.value === "own";
    client.disabled = own;
    if (own) { client.value = ""; }
  }
  document.addEventListener("change", function (event) {
    if (event.target.id === "kind") { sync(); }
  });
  document.addEventListener("DOMContentLoaded", sync);
  // After htmx put back the form with its messages.
  document.addEventListener("htmx:afterSettle", sync);
})();
