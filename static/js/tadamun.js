// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // The language switcher posts to set_language (which also remembers the choice);
  // with script, keep the reader's scroll position and fragment on the same page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-language-switcher]")) return;
    var next = form.querySelector("input[name=next]");
    if (next && window.location.hash) next.value = next.value + window.location.hash;
  });
})();

// Forms marked data-once send once: a double click or an impatient second press does
// not post again (the server is idempotent too; this spares the wait).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-once]")) return;
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
    });
  });
  // Fields that only matter after a choice (a proposed organisation) stay out of the
  // way until then; without script they are simply always shown.
  function toggle(box) {
    var target = document.querySelector('[data-shown-by="' + box.name + '"]');
    if (target) target.hidden = !box.checked;
  }
  document.querySelectorAll("input[type=checkbox]").forEach(function (box) {
    if (document.querySelector('[data-shown-by="' + box.name + '"]')) {
      toggle(box);
      box.addEventListener("change", function () { toggle(box); });
    }
  });
})();
