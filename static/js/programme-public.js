// Programme pages, progressive enhancement only: without this file every star is a
// form post that reloads the page, and the calendar address is selected by hand.
(function () {
  "use strict";

  // Every element showing the person's clashes follows one answer from the server, so
  // the notice on the page never disagrees with the agenda page.
  function showClashes(clashes) {
    var clashing = {};
    clashes.forEach(function (clash) {
      clash.sessions.forEach(function (code) { clashing[code] = true; });
    });
    document.querySelectorAll("[data-clash-notice]").forEach(function (notice) {
      var list = notice.querySelector("[data-clash-list]");
      while (list.firstChild) list.removeChild(list.firstChild);
      clashes.forEach(function (clash) {
        var item = document.createElement("li");
        item.textContent = clash.message;
        list.appendChild(item);
      });
      notice.hidden = clashes.length === 0;
    });
    document.querySelectorAll("[data-session]").forEach(function (session) {
      var code = session.getAttribute("data-session");
      session.classList.toggle("is-clashing", !!clashing[code]);
      var marker = session.querySelector("[data-clash-marker]");
      if (marker) marker.hidden = !clashing[code];
    });
  }

  function showStar(form, starred) {
    var button = form.querySelector("button[aria-pressed]");
    button.setAttribute("aria-pressed", starred ? "true" : "false");
    form.querySelector("[data-star-icon]").textContent = starred ? "\u2605" : "\u2606";
    var label = form.querySelector("[data-star-label]");
    if (label) label.textContent = button.getAttribute(starred ? "data-label-starred" : "data-label-unstarred");
    form.querySelector("[data-star-action]").value = starred ? "unstar" : "star";
    var session = form.closest("[data-session]");
    if (session) session.classList.toggle("is-starred", starred);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-star-form]") || !window.fetch) return;
    event.preventDefault();
    if (form.dataset.busy === "1") return;
    form.dataset.busy = "1";
    // getAttribute: the form's field named "action" shadows the form.action property.
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (answer) {
        showStar(form, answer.starred);
        showClashes(answer.clashes || []);
        form.dataset.busy = "";
      })
      .catch(function () {
        // The server did not answer as expected: do it the plain way, with a reload.
        form.dataset.busy = "";
        HTMLFormElement.prototype.submit.call(form);
      });
  });

  // The secret calendar address: a copy button beside it, and one tap selects it all.
  document.querySelectorAll("[data-copy-row]").forEach(function (row) {
    var source = row.querySelector("[data-copy-source]");
    source.addEventListener("focus", function () { source.select(); });
    if (!navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary";
    button.textContent = row.getAttribute("data-copy-label");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        button.textContent = row.getAttribute("data-copied-label");
      });
    });
    row.appendChild(button);
  });
})();
