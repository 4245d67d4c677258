// The planning board: drag an order (or a planned chip) onto a cell, or pick one with a button
// and press the + of a cell (the keyboard way). Every change posts through htmx, and the answer
// swaps the changed rows, totals and orders out of band. Without JavaScript the form still works.
(function () {
  "use strict";
  var picked = null; // {kind: "order" | "assignment", id: "12"}

  function tray() { return document.querySelector(".tray-list"); }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (e) { return ""; }
  }

  function say(text) {
    var box = document.getElementById("board-message");
    if (!box) { return; }
    var line = document.createElement("p");
    line.className = "flash flash-success";
    line.textContent = text;
    box.replaceChildren(line);
  }

  function clearPick() {
    picked = null;
    document.querySelectorAll("[aria-pressed=true]").forEach(function (button) {
      button.setAttribute("aria-pressed", "false");
    });
  }

  function pick(kind, id, button) {
    var same = picked && picked.kind === kind && picked.id === id;
    clearPick();
    if (same) { return; }
    picked = {kind: kind, id: id};
    button.setAttribute("aria-pressed", "true");
    say(tray().dataset.pickedText);
  }

  function post(kind, id, group, day) {
    var list = tray();
    var hours = document.getElementById("drop-hours");
    var values = {group: group, day: day};
    var url;
    if (kind === "order") {
      url = list.dataset.assignUrl;
      values.order = id;
      if (hours && hours.value) { values.hours = hours.value; }
    } else {
      url = list.dataset.moveUrl.replace("/0/", "/" + encodeURIComponent(id) + "/");
    }
    clearPick();
    return htmx.ajax("POST", url, {
      source: document.getElementById("board"), target: "#board-message", swap: "none",
      values: values, headers: {"X-CSRFToken": csrfToken()}
    });
  }

  document.addEventListener("click", function (event) {
    var orderButton = event.target.closest("[data-pick-order]");
    if (orderButton) { pick("order", orderButton.dataset.pickOrder, orderButton); return; }
    var chipButton = event.target.closest("[data-pick-assignment]");
    if (chipButton) { pick("assignment", chipButton.dataset.pickAssignment, chipButton); return; }
    var target = event.target.closest("[data-target-group]");
    if (!target) { return; }
    if (picked) {
      post(picked.kind, picked.id, target.dataset.targetGroup, target.dataset.targetDay);
      return;
    }
    // Nothing picked: fill the form with this cell, and let the planner choose the order there.
    var form = document.getElementById("plan-form");
    if (!form) { return; }
    document.getElementById("plan-card").open = true;
    form.elements.group.value = target.dataset.targetGroup;
    form.elements.day.value = target.dataset.targetDay;
    form.elements.order.focus();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && picked) { clearPick(); }
  });

  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest ? event.target.closest("[data-order], [data-assignment]") : null;
    if (!item) { return; }
    var payload = item.dataset.order ? "order:" + item.dataset.order
                                     : "assignment:" + item.dataset.assignment;
    event.dataTransfer.setData("text/plain", payload);
    event.dataTransfer.effectAllowed = "move";
  });

  function cellOf(event) { return event.target.closest ? event.target.closest("td.cell") : null; }

  document.addEventListener("dragover", function (event) {
    var cell = cellOf(event);
    if (!cell) { return; }
    event.preventDefault();
    cell.classList.add("drop-over");
  });

  document.addEventListener("dragleave", function (event) {
    var cell = cellOf(event);
    if (cell && !cell.contains(event.relatedTarget)) { cell.classList.remove("drop-over"); }
  });

  document.addEventListener("drop", function (event) {
    var cell = cellOf(event);
    if (!cell) { return; }
    event.preventDefault();
    cell.classList.remove("drop-over");
    var parts = (event.dataTransfer.getData("text/plain") || "").split(":");
    if (parts.length !== 2 || !/^\d+$/.test(parts[1])) { return; }
    if (parts[0] === "order" || parts[0] === "assignment") {
      post(parts[0], parts[1], cell.dataset.group, cell.dataset.day);
    }
  });
})();
