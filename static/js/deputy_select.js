/* Deputy pickers (DeputySelect in dutyadmin/forms.py): a filter box above the <select> keeps the options
   whose text (name and street committee) contains what was typed. Without script the <select> still works. */
(function () {
  "use strict";

  function setUp(select) {
    if (select.getAttribute("data-deputy-filter-ready")) return;
    select.setAttribute("data-deputy-filter-ready", "1");
    var all = Array.prototype.slice.call(select.options);
    var box = document.createElement("input");
    box.type = "search";
    box.className = "deputy-filter";
    box.setAttribute("placeholder", select.getAttribute("data-filter-placeholder") || "输入姓名或街工委筛选");
    box.setAttribute("aria-label", select.getAttribute("data-filter-label") || "筛选代表");
    box.setAttribute("autocomplete", "off");
    if (select.id) box.id = select.id + "_filter";
    var count = document.createElement("span");
    count.className = "deputy-filter-count small muted";
    count.setAttribute("aria-live", "polite");
    var wrap = document.createElement("div");
    wrap.className = "deputy-filter-wrap";
    wrap.appendChild(box);
    wrap.appendChild(count);
    select.parentNode.insertBefore(wrap, select);

    box.addEventListener("input", function () {
      var wanted = box.value.trim().toLowerCase();
      if (select.multiple) {
        // Several deputies (附议代表): filtering hides options but never drops one already chosen.
        var found = 0;
        select.textContent = "";
        all.forEach(function (option) {
          var match = !wanted || option.text.toLowerCase().indexOf(wanted) !== -1;
          if (match || option.selected) select.appendChild(option);
          if (match && option.value !== "") found += 1;
        });
        count.textContent = wanted ? (found ? "找到 " + found + " 位" : "没有找到,请换个写法") : "";
        return;
      }
      var chosen = select.value;
      var shown = 0;
      var matches = [];
      select.textContent = "";
      all.forEach(function (option) {
        var keep = option.value === "" || !wanted || option.text.toLowerCase().indexOf(wanted) !== -1;
        if (keep) {
          select.appendChild(option);
          if (option.value !== "") { shown += 1; matches.push(option); }
        }
      });
      if (matches.length === 1 && wanted) {
        matches[0].selected = true;
      } else if (chosen && !matches.some(function (o) { return o.value === chosen; })) {
        select.value = "";
      } else {
        select.value = chosen;
      }
      if (select.value !== chosen) select.dispatchEvent(new Event("change", { bubbles: true }));
      count.textContent = wanted ? (shown ? "找到 " + shown + " 位" : "没有找到,请换个写法") : "";
    });
    // Enter in the box must not submit the form half-filled.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); select.focus(); }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-deputy-select]"), setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
