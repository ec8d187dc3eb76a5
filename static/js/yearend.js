// Handbook, year-end review and exports: print button, return-reason boxes, export progress polling.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Year-end review: a reason box opens for each deputy ticked to be returned.
  document.querySelectorAll("input[data-return-toggle]").forEach(function (box) {
    var target = document.getElementById(box.getAttribute("data-return-toggle"));
    if (!target) { return; }
    var sync = function () { target.hidden = !box.checked; };
    box.addEventListener("change", sync);
    sync();
  });

  // Export job: poll its status until done, then offer the download.
  var job = document.querySelector("[data-export-status]");
  if (job) {
    var url = job.getAttribute("data-export-status");
    var bar = job.querySelector("progress");
    var label = job.querySelector("[data-export-label]");
    var link = job.querySelector("[data-export-download]");
    var failure = job.querySelector("[data-export-error]");
    var hint = job.querySelector("[data-export-hint]");
    var poll = function () {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var finished = data.status === "done" || data.status === "failed";
          if (bar && (data.progress || finished)) { bar.value = data.progress; }
          if (finished && hint) { hint.hidden = true; }
          if (label) { label.textContent = data.status_label + (data.rows ? "(" + data.rows + " 行)" : ""); }
          if (data.status === "done") {
            if (link) { link.href = data.download_url; link.hidden = false; }
          } else if (data.status === "failed") {
            if (failure) { failure.textContent = data.error; failure.hidden = false; }
          } else {
            window.setTimeout(poll, 1000);
          }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    if (job.getAttribute("data-finished") !== "true") { window.setTimeout(poll, 500); }
  }
})();
