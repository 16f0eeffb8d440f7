// Follows an import job: polls its status, updates the progress bar, and reloads the
// page (which then shows the preview or the outcome) once the job has finished.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("import-bar");
  var count = document.getElementById("import-count");
  var waiting = document.getElementById("import-waiting");
  var note = document.getElementById("import-refresh-note");
  if (note) { note.textContent = "This page follows the job by itself."; }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (status) {
        if (!status.running) { window.location.reload(); return; }
        if (status.state !== box.getAttribute("data-state")) { window.location.reload(); return; }
        if (status.counted) {
          bar.max = Math.max(status.total, 1);
          bar.value = status.done;
          bar.textContent = status.done + " of " + status.total;
          count.textContent = status.done + " of " + status.total + " rows done.";
        }
        waiting.hidden = !status.waiting;
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
