/* 我的日历订阅: copy the feed address; ask before a reset or turning the address off. No inline script (CSP). */
(function () {
  "use strict";

  function say(button, text) {
    var status = document.getElementById("calendar-copy-status");
    if (status) status.textContent = text;
  }

  function fallbackCopy(input) {
    input.focus();
    input.select();
    input.setSelectionRange(0, input.value.length);
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) return;
    var done = button.getAttribute("data-copied-text") || "OK";
    var failed = button.getAttribute("data-failed-text") || "";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { say(button, done); }, function () {
        say(button, fallbackCopy(input) ? done : failed);
      });
    } else {
      say(button, fallbackCopy(input) ? done : failed);
    }
  });

  // Selecting the whole address on focus makes a manual copy easy on phones.
  document.addEventListener("focusin", function (event) {
    if (event.target.id === "calendar-feed-url") event.target.select();
  });
  // Reset and revoke ask first through data-confirm (static/js/dutyadmin.js, on every page).
})();
