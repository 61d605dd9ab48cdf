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
