// Detachments: print buttons, copying the client link, and the kind switch on the new form.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-print], [data-copy]");
    if (!target) { return; }
    if (target.hasAttribute("data-print")) {
      window.print();
      return;
    }
    var input = document.getElementById(target.getAttribute("data-copy"));
    if (input) {
      input.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(input.value); }
    }
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) {
      event.target.select();
    }
  });
  // Show only the fieldset of the chosen kind; without JavaScript both stay visible.
  function showKind(form) {
    var chosen = form.querySelector("input[name=kind]:checked");
    form.querySelectorAll("[data-kind]").forEach(function (part) {
      part.hidden = chosen ? part.getAttribute("data-kind") !== chosen.value : false;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-kind-form]").forEach(function (form) {
      showKind(form);
      form.addEventListener("change", function () { showKind(form); });
    });
  });
})();
