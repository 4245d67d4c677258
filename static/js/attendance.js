// The day view's dialog: focus it when it opens, close it with its button or Escape.
(function () {
  "use strict";
  function closePanel() {
    var panel = document.getElementById("panel");
    if (panel && panel.classList.contains("panel-overlay")) {
      var empty = document.createElement("div");
      empty.id = "panel";
      panel.replaceWith(empty);
      return true;
    }
    return false;
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "panel") {
      var title = document.getElementById("panel-title");
      if (title) { title.focus(); }
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    var title = document.querySelector("#panel.panel-overlay #panel-title");
    if (title && !document.querySelector("#panel").contains(document.activeElement)) { title.focus(); }
  });
  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-close-panel]");
    if (close && closePanel()) { event.preventDefault(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closePanel(); }
  });
})();
