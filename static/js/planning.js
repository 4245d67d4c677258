// The planning board: drag an order (or a planned chip) onto a cell, or pick one with a button
// and press the + of a cell (the keyboard way). Every change posts through htmx, and the answer
// swaps the changed rows, totals and orders out of band. Without JavaScript the form still works.
//
// The board is one tab stop, as the WAI-ARIA grid pattern has it: the arrow keys move between
// the day cells of the groups (Home/End: first/last day, Ctrl+Home/End: first/last group),
// Enter plans the chosen order on the focused day, Tab reaches that day's planned orders and
// Escape goes back to the day.
(function () {
  "use strict";
  var picked = null; // {kind: "order" | "assignment", id: "12"}
  var activeCellId = null;
  var focusInGrid = false;
  var CONTROLS = "a[href], button, summary, input, select, textarea";
  var MOVES = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"];

  function grid() { return document.getElementById("board"); }

  function gridRows() {
    var table = grid();
    if (!table || !table.tBodies.length) { return []; }
    return Array.prototype.filter.call(table.tBodies[0].rows, function (row) {
      return row.querySelector("td.cell");
    });
  }

  function rowCells(row) { return Array.prototype.slice.call(row.querySelectorAll("td.cell")); }

  function setControlsTabbable(cell, tabbable) {
    cell.querySelectorAll(CONTROLS).forEach(function (control) {
      control.tabIndex = tabbable ? 0 : -1;
    });
  }

  function activate(cell, focus) {
    var previous = activeCellId && document.getElementById(activeCellId);
    if (previous && previous !== cell) {
      previous.tabIndex = -1;
      setControlsTabbable(previous, false);
    }
    activeCellId = cell.id;
    cell.tabIndex = 0;
    setControlsTabbable(cell, true);
    if (focus) {
      cell.focus();
      cell.scrollIntoView({block: "nearest", inline: "nearest"});
    }
  }

  // (Re)apply the single tab stop: on load and after every swap, whose new rows come with
  // focusable controls of their own.
  function setUpGrid() {
    var table = grid();
    if (!table) { return; }
    table.setAttribute("role", "grid");
    var box = table.closest(".board-scroll");
    if (box) { box.removeAttribute("tabindex"); } // the cells take focus and scroll it now
    var first = null;
    gridRows().forEach(function (row) {
      rowCells(row).forEach(function (cell) {
        first = first || cell;
        cell.tabIndex = -1;
        setControlsTabbable(cell, false);
      });
    });
    var active = (activeCellId && document.getElementById(activeCellId)) || first;
    if (active) { activate(active, false); }
  }

  function focusActiveCell() {
    var cell = (activeCellId && document.getElementById(activeCellId)) ||
               (grid() && grid().querySelector("td.cell"));
    if (cell) { activate(cell, true); }
  }

  function neighbour(cell, key, ctrl) {
    var rows = gridRows();
    var row = cell.parentElement;
    var rowIndex = rows.indexOf(row);
    var cells = rowCells(row);
    var index = cells.indexOf(cell);
    if (key === "ArrowLeft") { return cells[index - 1]; }
    if (key === "ArrowRight") { return cells[index + 1]; }
    if (key === "Home") { return ctrl ? rowCells(rows[0])[0] : cells[0]; }
    if (key === "End") {
      if (!ctrl) { return cells[cells.length - 1]; }
      var last = rowCells(rows[rows.length - 1]);
      return last[last.length - 1];
    }
    var other = rows[rowIndex + (key === "ArrowUp" ? -1 : key === "ArrowDown" ? 1 : 0)];
    if (!other || other === row) { return null; }
    var otherCells = rowCells(other);
    return otherCells[Math.min(index, otherCells.length - 1)];
  }

  function onGridKey(event) {
    var cell = event.target.closest ? event.target.closest("td.cell") : null;
    if (!cell || !grid() || !grid().contains(cell)) { return; }
    var onCell = event.target === cell;
    if (event.key === "Escape" && !onCell) {
      event.preventDefault();
      var menu = event.target.closest("details[open]");
      if (menu) { menu.open = false; }
      activate(cell, true);
      return;
    }
    if (!onCell) { return; }
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      var target = cell.querySelector(".cell-target");
      if (target) { target.click(); }
      return;
    }
    if (MOVES.indexOf(event.key) < 0) { return; }
    var next = neighbour(cell, event.key, event.ctrlKey || event.metaKey);
    event.preventDefault();
    if (next) { activate(next, true); }
  }

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
    // Straight on to the board: the day to plan on is the next thing to choose.
    focusActiveCell();
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
    onGridKey(event);
    if (event.key === "Escape" && picked) { clearPick(); }
  });

  // A click (or a tap) in a cell makes it the grid's tab stop.
  document.addEventListener("focusin", function (event) {
    var cell = event.target.closest ? event.target.closest("td.cell") : null;
    if (cell && grid() && grid().contains(cell) && cell.id !== activeCellId) { activate(cell, false); }
  });

  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-close-message]");
    if (!close) { return; }
    var box = document.getElementById("board-message");
    if (box) { box.replaceChildren(); }
    if (focusInGrid) { focusActiveCell(); }
  });

  // An answer replaces the changed rows, and with them the focused cell: put the focus back on
  // the cell with the same id, so that the planner goes on from where he was.
  document.addEventListener("htmx:beforeRequest", function () {
    var table = grid();
    focusInGrid = !!(table && table.contains(document.activeElement));
  });
  document.addEventListener("htmx:afterSettle", function () {
    setUpGrid();
    var lost = !document.activeElement || document.activeElement === document.body;
    if (focusInGrid && lost) { focusActiveCell(); }
  });
  document.addEventListener("DOMContentLoaded", setUpGrid);

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
