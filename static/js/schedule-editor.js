// The schedule editor's drag and drop. Progressive enhancement: without this file every
// session still has its "Move…" form and "Unplace" button. The server decides
// everything: a hover asks schedule_check what a drop would cause (nothing saved), a
// drop posts to schedule_place, and the board is then re-read from the page itself so
// what is shown is always what is stored. A refused drop puts the card back. The preview
// sits beside the grid (on narrow screens, docked to the window edge away from the
// pointer): it never covers the cell being dropped on, and it is emptied when the drag
// ends, leaves the grid, or its close button is pressed.
(function () {
  "use strict";
  var root = document.getElementById("schedule-editor");
  if (!root || !window.fetch || !window.URLSearchParams) return;
  var status = document.getElementById("editor-status");
  var body = status && status.querySelector(".se-status__body");
  if (!body) return;
  var narrow = window.matchMedia("(max-width: 63.99rem)");
  var tokenField = root.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = tokenField ? tokenField.value : "";
  var msg = root.dataset;
  var drag = null;        // {card, origin, next}
  var hover = null;       // the cell under the dragged card
  var pending = null;     // AbortController of the running check
  var timer = null;
  var keyMove = null;     // {card, cell} while moving a card with the keyboard

  root.classList.add("se--js");

  function cards() { return root.querySelectorAll(".se-card"); }
  function arm() {
    cards().forEach(function (card) { card.setAttribute("draggable", "true"); });
  }
  arm();

  // --- Telling the organizer ---------------------------------------------------------------
  function say(kind, heading, lines) {
    body.textContent = "";
    var empty = !heading && !(lines && lines.length);
    var top = status.classList.contains("se-status--top");
    status.className = "se-status" + (kind ? " se-status--" + kind : "") + (empty ? " is-empty" : "") +
      (top ? " se-status--top" : "");
    body.setAttribute("role", kind === "error" ? "alert" : "status");
    if (heading) {
      var p = document.createElement("p");
      p.className = "se-status__heading";
      p.textContent = heading;
      body.appendChild(p);
    }
    if (lines && lines.length) {
      var list = document.createElement("ul");
      lines.forEach(function (line) {
        var item = document.createElement("li");
        item.className = line.hard ? "se-conflict se-conflict--hard" : "se-conflict se-conflict--soft";
        item.textContent = line.message;
        list.appendChild(item);
      });
      body.appendChild(list);
    }
  }

  function quiet() { say("", "", []); }

  // On a narrow screen the preview is a bar on the window's edge: keep it on the edge
  // farther from the pointer (or the cell), so it never hides where the card would land.
  function dock(y) {
    if (!narrow.matches || typeof y !== "number") return;
    status.classList.toggle("se-status--top", y > window.innerHeight / 2);
  }

  function dockAt(cell) {
    if (!cell || !cell.getBoundingClientRect || !cell.parentNode) return;
    var box = cell.getBoundingClientRect();
    dock(box.top + Math.min(box.height, 40) / 2);
  }

  // Drag left the grid (or ended without a drop): forget the target and its preview.
  function leave() {
    hover = null;
    window.clearTimeout(timer);
    if (pending) pending.abort();
    mark(null);
    quiet();
  }

  status.querySelector(".se-status__close").addEventListener("click", function () {
    quiet();
    if (keyMove) keyMove.card.focus();
  });

  function mine(conflicts, proposal) {
    var id = parseInt(proposal, 10);
    return conflicts.filter(function (c) { return c.sessions.indexOf(id) !== -1; });
  }

  function describe(card, answer, heading) {
    var own = mine(answer.conflicts || [], card.dataset.proposal);
    var hard = own.some(function (c) { return c.hard; });
    var kind = hard ? "hard" : (own.length ? "soft" : "ok");
    say(kind, own.length ? heading : heading + " " + msg.msgOk, own);
    return kind;
  }

  // --- Cells -----------------------------------------------------------------------------------
  function targetOf(node) {
    if (!node || !node.closest) return null;
    return node.closest("td.se-cell, [data-unplace-target]");
  }

  function mark(cell, state) {
    root.querySelectorAll(".is-target").forEach(function (other) {
      other.classList.remove("is-target", "is-hard", "is-soft", "is-ok", "is-refused");
    });
    if (cell) {
      cell.classList.add("is-target");
      if (state) cell.classList.add("is-" + state);
    }
  }

  // "Library, 10:00–11:30": where the card would go, as the preview's heading says it.
  function placeName(room, slot) {
    var head = root.querySelector('.se-grid thead [data-room="' + room + '"] .se-room__name');
    var times = slot && slot.start ? slot.start.slice(11, 16) + "\u2013" + slot.end.slice(11, 16) : "";
    var comma = document.documentElement.dir === "rtl" ? "\u060c " : ", ";
    return (head ? head.textContent + comma : "") + "\u2066" + times + "\u2069";
  }

  function check(card, cell) {
    if (pending) pending.abort();
    // The unplaced list has no time to preview: say nothing rather than the last cell's.
    if (!cell || !cell.dataset.start) { quiet(); return; }
    pending = new AbortController();
    var query = new URLSearchParams({slot: card.dataset.slot, room: cell.dataset.room, start: cell.dataset.start});
    fetch(msg.checkUrl + "?" + query.toString(), {
      headers: {Accept: "application/json"}, signal: pending.signal, credentials: "same-origin"
    }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      if (hover !== cell && !(keyMove && keyMove.cell === cell)) return;
      if (!answer.ok) {
        mark(cell, "refused");
        say("error", msg.msgRefused + " " + answer.error, []);
        return;
      }
      mark(cell, describe(card, answer, msg.msgIf + " " + placeName(cell.dataset.room, answer.slot)));
    }).catch(function () { /* a newer hover replaced this check */ });
  }

  function scheduleCheck(card, cell) {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { check(card, cell); }, 120);
  }

  // --- Saving ----------------------------------------------------------------------------------
  function post(url, fields) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {Accept: "application/json", "X-CSRFToken": csrf},
      body: new URLSearchParams(fields)
    }).then(function (response) {
      return response.json().then(function (answer) { return {status: response.status, answer: answer}; });
    });
  }

  function refresh(focusId) {
    // Re-read the board from the page: the server's rendering stays the only one.
    return fetch(window.location.href, {credentials: "same-origin"}).then(function (response) {
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.querySelector("#schedule-editor .se-layout");
      var old = root.querySelector(".se-layout");
      if (fresh && old) {
        fresh = document.adoptNode(fresh);
        // The preview stays the same node, so what it says and where it is docked hold.
        var freshStatus = fresh.querySelector("#editor-status");
        if (freshStatus) freshStatus.replaceWith(status);
        old.replaceWith(fresh);
      }
      var counts = doc.getElementById("editor-counts");
      var oldCounts = document.getElementById("editor-counts");
      if (counts && oldCounts) oldCounts.textContent = counts.textContent;
      arm();
      var card = focusId && document.getElementById(focusId);
      if (card) { card.focus({preventScroll: false}); }
    });
  }

  function putBack(state) {
    if (state.next && state.next.parentNode === state.origin) state.origin.insertBefore(state.card, state.next);
    else state.origin.appendChild(state.card);
  }

  function drop(card, cell, state) {
    var unplace = cell.hasAttribute("data-unplace-target");
    if (unplace && !card.dataset.room) return;
    say("", msg.msgSaving, []);
    card.classList.add("is-saving");
    if (!unplace) cell.appendChild(card);
    var request = unplace
      ? post(msg.unplaceUrl, {slot: card.dataset.slot})
      : post(msg.placeUrl, {slot: card.dataset.slot, room: cell.dataset.room, start: cell.dataset.start});
    request.then(function (result) {
      card.classList.remove("is-saving");
      if (!result.answer.ok) {
        putBack(state);
        say("error", msg.msgRefused + " " + result.answer.error, []);
        card.focus();
        return;
      }
      var heading = msg.msgSaved;
      return refresh(card.id).then(function () {
        describe(card, result.answer, heading);
      });
    }).catch(function () {
      card.classList.remove("is-saving");
      putBack(state);
      say("error", msg.msgFailed, []);
    });
  }

  // --- Drag and drop ---------------------------------------------------------------------------
  root.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".se-card");
    if (!card) return;
    drag = {card: card, origin: card.parentNode, next: card.nextSibling};
    card.classList.add("is-dragging");
    quiet();
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.slot);
  });

  root.addEventListener("dragover", function (event) {
    if (!drag) return;
    var cell = targetOf(event.target);
    if (!cell) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    dock(event.clientY);
    if (cell === hover) return;
    hover = cell;
    mark(cell, null);
    scheduleCheck(drag.card, cell);
  });

  root.addEventListener("drop", function (event) {
    if (!drag) return;
    var cell = targetOf(event.target);
    if (!cell) return;
    event.preventDefault();
    var state = drag;
    // The board is re-read after the save, so the dragged node may be gone before its
    // dragend arrives: forget the drag here.
    drag = null;
    hover = null;
    state.card.classList.remove("is-dragging");
    window.clearTimeout(timer);
    if (pending) pending.abort();
    mark(null);
    drop(state.card, cell, state);
  });

  // Anywhere that is not a drop target: the preview no longer says anything true.
  document.addEventListener("dragover", function (event) {
    if (drag && hover && !targetOf(event.target)) leave();
  });

  root.addEventListener("dragend", function () {
    // A drop has already forgotten the drag; here it ended anywhere else.
    if (!drag) return;
    drag.card.classList.remove("is-dragging");
    drag = null;
    leave();
  });

  // --- Moving a card with the keyboard ---------------------------------------------------------
  // "m" on a focused card in the grid picks it up; arrows walk the cells (previewing
  // conflicts as a hover does), Enter drops, Escape puts it back. The "Move…" form
  // remains the way that needs no script.
  function cellAt(row, column) {
    var table = root.querySelector(".se-grid");
    if (!table) return null;
    var body = table.tBodies[0];
    if (row < 0 || row >= body.rows.length) return null;
    // Cells covered by a rowspan are missing from a row: find the cell by its room.
    var rooms = Array.prototype.map.call(table.tHead.rows[0].querySelectorAll("[data-room]"), function (th) {
      return th.dataset.room;
    });
    if (column < 0 || column >= rooms.length) return null;
    var candidates = body.rows[row].querySelectorAll('td[data-room="' + rooms[column] + '"]');
    if (candidates.length) return candidates[0];
    // Covered by a session above: a stand-in that names the room and this row's time.
    var standIn = document.createElement("td");
    standIn.dataset.room = rooms[column];
    standIn.dataset.start = rowTime(row) || "";
    return standIn;
  }

  function position(cell) {
    var table = root.querySelector(".se-grid");
    var row = Array.prototype.indexOf.call(table.tBodies[0].rows, cell.parentNode);
    var rooms = Array.prototype.map.call(table.tHead.rows[0].querySelectorAll("[data-room]"), function (th) {
      return th.dataset.room;
    });
    return {row: row, column: rooms.indexOf(cell.dataset.room)};
  }

  function rowTime(row) {
    var body = root.querySelector(".se-grid").tBodies[0];
    var head = body.rows[row] && body.rows[row].querySelector("th[data-start]");
    return head ? head.dataset.start : null;
  }

  root.addEventListener("keydown", function (event) {
    var card = event.target.closest && event.target.closest(".se-card");
    if (!card) return;
    if (!keyMove) {
      if ((event.key === "m" || event.key === "M") && card.closest("td.se-cell")) {
        event.preventDefault();
        keyMove = {card: card, cell: card.closest("td.se-cell"), origin: card.parentNode, next: card.nextSibling};
        keyMove.at = position(keyMove.cell);
        card.classList.add("is-dragging");
        say("", msg.msgMoving, []);
      }
      return;
    }
    if (keyMove.card !== card) return;
    var rtl = document.documentElement.dir === "rtl";
    var step = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, rtl ? 1 : -1], ArrowRight: [0, rtl ? -1 : 1]};
    if (step[event.key]) {
      event.preventDefault();
      var next = {row: keyMove.at.row + step[event.key][0], column: keyMove.at.column + step[event.key][1]};
      var cell = cellAt(next.row, next.column);
      if (!cell) return;
      keyMove.at = next;
      keyMove.cell = cell;
      mark(cell.parentNode ? cell : null, null);
      dockAt(cell);
      check(card, cell);
    } else if (event.key === "Enter") {
      event.preventDefault();
      var target = keyMove.cell;
      var state = keyMove;
      keyMove = null;
      card.classList.remove("is-dragging");
      mark(null);
      if (!target.parentNode) {
        // A covered cell: post the move and let the refreshed board show it.
        target = {dataset: target.dataset, hasAttribute: function () { return false; }, appendChild: function () {}};
      }
      drop(card, target, state);
    } else if (event.key === "Escape") {
      event.preventDefault();
      keyMove = null;
      card.classList.remove("is-dragging");
      mark(null);
      say("", "", []);
    }
  });
})();
