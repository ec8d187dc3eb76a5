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
  // --- deploy15: behaviours that were inline scripts (the CSP allows no inline script).

  // A select with data-autosubmit sends its form when changed (opinion statistics' year).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) select.form.submit();
  });

  // A button with data-print prints the page (check-in code sheet).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  // Bulk assignment: "填入" puts the chosen lead unit into every row that has none yet.
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("[data-fill-lead-apply]")) return;
    var source = document.querySelector("[data-fill-lead]");
    var value = source && source.value;
    if (!value) return;
    document.querySelectorAll("select[data-lead]").forEach(function (s) { if (!s.value) s.value = value; });
  });

  // Contact assignment: how many deputies are chosen, against data-min … data-max.
  document.querySelectorAll("[data-count-for]").forEach(function (out) {
    var select = document.getElementById(out.getAttribute("data-count-for"));
    if (!select) return;
    function update() {
      var n = Array.prototype.filter.call(select.options, function (o) { return o.selected; }).length;
      var lo = +out.dataset.min, hi = +out.dataset.max;
      out.textContent = "已选择 " + n + " 名" + (n < lo ? "，少于 " + lo + " 名。" : n > hi ? "，多于 " + hi + " 名。" : "。");
      out.className = "small " + (n < lo || n > hi ? "tone-warn" : "muted");
    }
    select.addEventListener("change", update);
    update();
  });

  // The unread count in the top bar is fetched after the page loads, so no page pays a query for it.
  var inbox = document.querySelector(".inbox-link[data-unread-url]");
  if (inbox && window.fetch) {
    fetch(inbox.dataset.unreadUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !data.unread) return;
        var badge = inbox.querySelector(".unread-count");
        badge.textContent = data.unread > 99 ? "99+" : String(data.unread);
        badge.setAttribute("aria-label", data.label);
        badge.hidden = false;
      }).catch(function () {});
  }
})();
