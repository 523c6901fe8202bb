// Polls the export job's status and updates the progress bar; without JavaScript the page
// refreshes itself instead (meta refresh in a <noscript>).
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) { return; }
  var bar = document.getElementById("export-progress");
  var status = document.getElementById("export-status");
  var rows = document.getElementById("export-rows");
  var download = document.getElementById("export-download");

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        status.textContent = job.status_label;
        if (job.rows_total !== null) { rows.textContent = job.rows_done + " / " + job.rows_total; }
        if (job.status === "done") {
          download.hidden = false;
        } else if (job.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
