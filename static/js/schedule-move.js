// The "Move…" form's live preview: choosing a day, room or time asks the drag's own
// endpoint (schedule_check) what the move would cause, before anything is saved. Without
// this file the server does the same on the first submit. A hard conflict offers
// "Move anyway" for exactly the shown choice; the server checks that it still matches.
(function () {
  "use strict";
  var form = document.querySelector(".se-move__form[data-check-url]");
  var box = document.getElementById("move-preview");
  if (!form || !box || !window.fetch || !window.URLSearchParams) return;
  var msg = box.dataset;
  var pending = null;

  function field(name) { return form.elements.namedItem(name); }

  function choice() {
    var day = field("day").value, room = field("room").value, time = field("time").value;
    if (!day || !room || !time) return null;
    return {day: day, room: room, time: time, start: day + "T" + time};
  }

  // "Main hall · 300 seats · booth" -> "Main hall": the option's name part.
  function roomName() {
    var select = field("room");
    var option = select.options[select.selectedIndex];
    return option ? option.text.split(" \u00b7 ")[0] : "";
  }

  function clearConfirm() {
    form.querySelectorAll(".se-preview__confirm").forEach(function (button) { button.remove(); });
  }

  function paragraph(className, text) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  function show(kind, heading, conflicts, wanted) {
    box.textContent = "";
    box.className = "se-preview" + (kind ? " se-preview--" + kind : "");
    clearConfirm();
    box.appendChild(paragraph("se-preview__heading", heading));
    if (conflicts.length) {
      var list = document.createElement("ul");
      list.className = "se-conflict-list";
      conflicts.forEach(function (conflict) {
        var item = document.createElement("li");
        item.className = "se-conflict se-conflict--" + (conflict.hard ? "hard" : "soft");
        item.textContent = conflict.message;
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    if (kind === "hard" && wanted) {
      box.appendChild(paragraph("se-preview__note", msg.msgConfirm));
      var button = document.createElement("button");
      button.type = "submit";
      button.name = "confirm";
      button.value = wanted.room + "@" + wanted.start;
      button.className = "button button--danger se-preview__confirm";
      button.textContent = msg.msgAnyway;
      form.querySelector(".se-move__submit").after(button);
    }
  }

  function check() {
    var wanted = choice();
    if (!wanted) return;
    if (pending) pending.abort();
    pending = new AbortController();
    var query = new URLSearchParams({slot: form.dataset.slot, room: wanted.room, start: wanted.start});
    fetch(form.dataset.checkUrl + "?" + query.toString(), {
      headers: {Accept: "application/json"}, signal: pending.signal, credentials: "same-origin"
    }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      if (!answer.ok) {
        show("error", msg.msgRefused + " " + answer.error, [], null);
        return;
      }
      var proposal = answer.slot.proposal;
      var own = (answer.conflicts || []).filter(function (c) { return c.sessions.indexOf(proposal) !== -1; });
      var hard = own.some(function (c) { return c.hard; });
      var times = "\u2066" + answer.slot.start.slice(11, 16) + "\u2013" + answer.slot.end.slice(11, 16) + "\u2069";
      var heading = msg.msgIf + " " + roomName() + ", " + wanted.day + ", " + times;
      show(hard ? "hard" : (own.length ? "soft" : "ok"), own.length ? heading : heading + " " + msg.msgOk, own, wanted);
    }).catch(function (error) {
      if (error && error.name === "AbortError") return;
      show("error", msg.msgFailed, [], null);
    });
  }

  ["day", "room", "time"].forEach(function (name) {
    var select = field(name);
    if (select) select.addEventListener("change", check);
  });
})();
