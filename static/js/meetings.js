/* Sessions and leave pages: the attendance sheet (filter, 全部出席, live counts, arrow keys,
   unsaved-changes warning), the leave form (meetings of the chosen session and route), printing.
   Every page works without it. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  // ---------- attendance sheet ----------
  var sheet = document.querySelector("form.attendance-sheet");
  if (sheet) {
    var rows = Array.prototype.slice.call(sheet.querySelectorAll("tr.sheet-row"));
    var groupFilter = document.querySelector("[data-sheet-filter]");
    var search = document.querySelector("[data-sheet-search]");
    var dirty = false;

    var statusOf = function (row) {
      var checked = row.querySelector("input[type=radio]:checked");
      return checked ? checked.value : "";
    };
    var shown = function (row) { return !row.hidden; };

    var updateCounts = function () {
      var counts = { total: 0, present: 0, absent: 0, excused: 0, unrecorded: 0 };
      rows.forEach(function (row) {
        var status = statusOf(row);
        var note = row.querySelector(".unrecorded-note");
        if (note) note.hidden = status !== "";
        if (!shown(row)) return;
        counts.total += 1;
        if (status === "present") counts.present += 1;
        else if (status === "absent") {
          counts.absent += 1;
          if (row.getAttribute("data-leave") === "approved") counts.excused += 1;
        } else counts.unrecorded += 1;
      });
      Object.keys(counts).forEach(function (key) {
        each(document.querySelectorAll("[data-count=" + key + "]"), function (el) { el.textContent = counts[key]; });
      });
    };

    var applyFilter = function () {
      var delegation = groupFilter ? groupFilter.value : "";
      var words = search ? search.value.trim() : "";
      rows.forEach(function (row) {
        var fits = (!delegation || row.getAttribute("data-delegation") === delegation) &&
          (!words || row.getAttribute("data-name").indexOf(words) !== -1);
        row.hidden = !fits;
      });
      each(sheet.querySelectorAll("tbody[data-group]"), function (body) {
        var any = body.querySelector("tr.sheet-row:not([hidden])");
        body.hidden = !any;
      });
      updateCounts();
    };

    if (groupFilter) {
      groupFilter.addEventListener("change", function () {
        applyFilter();
        var url = new URL(window.location.href);
        if (groupFilter.value) url.searchParams.set("delegation", groupFilter.value);
        else url.searchParams.delete("delegation");
        window.history.replaceState(null, "", url);
        // Saving keeps the chosen delegation in view afterwards.
        sheet.action = url.pathname + url.search;
      });
      groupFilter.form.addEventListener("submit", function (event) { event.preventDefault(); applyFilter(); });
    }
    if (search) search.addEventListener("input", applyFilter);

    // 全部出席: every row in view present, except those on approved leave (absent, excused).
    each(document.querySelectorAll("[data-fill-present]"), function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        rows.forEach(function (row) {
          if (!shown(row)) return;
          var wanted = row.getAttribute("data-leave") === "approved" ? "absent" : "present";
          var radio = row.querySelector("input[type=radio][value=" + wanted + "]");
          if (radio && !radio.disabled) radio.checked = true;
        });
        dirty = true;
        updateCounts();
      });
    });

    sheet.addEventListener("change", function () { dirty = true; updateCounts(); });

    // ↑/↓ move to the deputy above or below (←/→ and space choose, as radios do).
    sheet.addEventListener("keydown", function (event) {
      var radio = event.target;
      if (!radio.matches || !radio.matches("input[type=radio]")) return;
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      event.preventDefault();
      var visible = rows.filter(shown);
      var index = visible.indexOf(radio.closest("tr"));
      var next = visible[index + (event.key === "ArrowDown" ? 1 : -1)];
      if (!next) return;
      var target = next.querySelector("input[type=radio]:checked") || next.querySelector("input[type=radio]");
      if (target) target.focus();
    });

    sheet.addEventListener("submit", function () { dirty = false; });
    document.addEventListener("submit", function (event) {
      if (event.target === sheet || (event.submitter && event.submitter.form === sheet)) dirty = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
    applyFilter();
  }

  // ---------- leave form: the meetings that fit the chosen session and route ----------
  var meetingBox = document.querySelector("[data-meetings]");
  var routeRadios = document.querySelectorAll("input[name=route][type=radio]");
  var sessionSelect = document.querySelector("select[name=session]");
  if (meetingBox || routeRadios.length) {
    var currentRoute = function () {
      var fixed = meetingBox && meetingBox.getAttribute("data-route-fixed");
      if (fixed) return fixed;
      var checked = document.querySelector("input[name=route]:checked");
      return checked ? checked.value : "";
    };
    var sync = function () {
      var route = currentRoute();
      each(document.querySelectorAll("[data-route-only]"), function (el) {
        el.hidden = route !== "" && el.getAttribute("data-route-only") !== route;
      });
      if (!meetingBox) return;
      if (routeRadios.length) meetingBox.hidden = route === "whole_session";
      var session = sessionSelect ? sessionSelect.value : "";
      each(meetingBox.querySelectorAll("fieldset[data-session]"), function (group) {
        group.hidden = group.getAttribute("data-session") !== session;
      });
      var hint = meetingBox.querySelector("[data-choose-session]");
      if (hint) hint.hidden = session !== "" || !meetingBox.querySelector("fieldset[data-session]");
      each(meetingBox.querySelectorAll(".meeting-choice"), function (label) {
        var kind = label.getAttribute("data-kind");
        var fits = route === "delegation_meeting" ? kind === "delegation" :
          route === "plenary" ? kind !== "delegation" : true;
        label.classList.toggle("unfit", !fits);
        var box = label.querySelector("input");
        if (box && !fits) box.checked = false;
        if (box) box.disabled = !fits;
      });
    };
    each(routeRadios, function (radio) { radio.addEventListener("change", sync); });
    if (sessionSelect) sessionSelect.addEventListener("change", sync);
    sync();
  }

  // ---------- backfill: "which step refused" only matters for a rejected request ----------
  var whenRejected = document.querySelector("[data-when-rejected]");
  if (whenRejected) {
    var syncOutcome = function () {
      var outcome = document.querySelector("input[name=status]:checked");
      whenRejected.hidden = !outcome || outcome.value !== "rejected";
    };
    each(document.querySelectorAll("input[name=status]"), function (radio) {
      radio.addEventListener("change", syncOutcome);
    });
    syncOutcome();
  }

  // ---------- print ----------
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
})();
