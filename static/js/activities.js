/* Activities: "select all" on the invitation list and "mark everyone" on the outcomes screen.
   Conveniences only: both pages work without script. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var all = event.target;
    if (!all.matches || !all.matches("input[data-check-all]")) return;
    var name = all.getAttribute("data-check-all");
    all.form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-set-outcome], button[data-set-confirmed]");
    if (!button) return;
    var form = button.form;
    if (button.hasAttribute("data-set-confirmed")) {
      form.querySelectorAll('input[type=checkbox][name$="-confirmed"]').forEach(function (box) { box.checked = true; });
      return;
    }
    var value = button.getAttribute("data-set-outcome");
    form.querySelectorAll('input[type=radio][name$="-outcome"][value="' + value + '"]').forEach(function (radio) {
      radio.checked = true;
    });
  });
})();
