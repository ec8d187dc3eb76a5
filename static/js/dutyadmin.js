/* dutyadmin: the little script the pages use. Every page works without it. */
(function () {
  "use strict";

  // Phones: the menu button opens and closes the menu panel.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".nav-toggle");
    if (toggle) {
      var open = document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });

  // Intervention form: each rule has one kind of intervention, so choosing the rule fills it in.
  document.addEventListener("change", function (event) {
    var rule = event.target;
    if (!rule.matches || !rule.matches("select[data-rule-kinds]")) return;
    var kinds = {};
    rule.getAttribute("data-rule-kinds").split(",").forEach(function (pair) {
      var parts = pair.split(":");
      kinds[parts[0]] = parts[1];
    });
    var kind = rule.form && rule.form.elements.namedItem("kind");
    if (kind && kinds[rule.value]) kind.value = kinds[rule.value];
  });

  // Filter forms: changing a select applies it at once (the button stays for keyboards and no-script).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("form.filters select")) select.form.submit();
  });

  // A form with data-confirm asks before it is sent (publishing, revoking…); without the script it is sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
