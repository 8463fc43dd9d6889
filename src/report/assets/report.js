// Filters, sorting and pages for the copylint report. Without script the
// whole report reads top to bottom; with it, files matching the filters
// (also set from the address: #severity=error&rule=ID&folder=DIR) are shown
// PAGE at a time, in the table and in the findings alike.
(function () {
  "use strict";
  var PAGE = 50;
  var form = document.getElementById("controls");
  var tbody = document.querySelector("#files tbody");
  var holder = document.getElementById("sections");
  var rows = Array.prototype.slice.call(tbody.rows);
  var page = 0;
  var shown = rows;
  form.hidden = false;

  function params() {
    var p = new URLSearchParams(location.hash.slice(1));
    ["severity", "rule", "folder"].forEach(function (k) {
      if (p.has(k)) form.elements[k].value = p.get(k);
    });
  }

  function keep(row, f) {
    return (!f.severity || row.dataset.sevs.indexOf(" " + f.severity + " ") >= 0) &&
      (!f.rule || row.dataset.rules.indexOf(" " + f.rule + " ") >= 0) &&
      (!f.folder || row.dataset.folder === f.folder);
  }

  function apply() {
    var f = { severity: form.elements.severity.value, rule: form.elements.rule.value,
              folder: form.elements.folder.value };
    shown = rows.filter(function (r) { return keep(r, f); });
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pages - 1);
    var from = page * PAGE, to = from + PAGE;
    var on = new Set(shown.slice(from, to));
    rows.forEach(function (r) {
      var visible = on.has(r);
      var section = document.getElementById(r.dataset.file);
      r.hidden = !keep(r, f);
      r.classList.toggle("off-page", !r.hidden && !visible);
      section.hidden = r.hidden;
      section.classList.toggle("off-page", !r.hidden && !visible);
      if (visible) {
        Array.prototype.forEach.call(section.querySelectorAll("li.finding"), function (li) {
          li.hidden = (f.severity && li.dataset.sev !== f.severity) || (f.rule && li.dataset.rule !== f.rule);
        });
      }
    });
    document.getElementById("status").textContent = shown.length === 0 ? "No files match." :
      "Files " + (from + 1) + "–" + Math.min(to, shown.length) + " of " + shown.length +
      " (page " + (page + 1) + " of " + pages + ")";
    document.getElementById("prev").disabled = page === 0;
    document.getElementById("next").disabled = page >= pages - 1;
  }

  function sortBy(key) {
    var dir = tbody.dataset.key === key && tbody.dataset.dir === "1" ? -1 : 1;
    var rank = { error: 3, warning: 2, info: 1 };
    function value(r) {
      if (key === "path") return r.cells[0].textContent;
      if (key === "worst") return -rank[r.cells[1].textContent];
      return -Number(r.cells[{ e: 2, w: 3, i: 4 }[key]].textContent);
    }
    rows.sort(function (a, b) {
      var x = value(a), y = value(b);
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    });
    tbody.dataset.key = key;
    tbody.dataset.dir = String(dir);
    rows.forEach(function (r) {
      tbody.appendChild(r);
      holder.appendChild(document.getElementById(r.dataset.file));
    });
    page = 0;
    apply();
  }

  Array.prototype.forEach.call(document.querySelectorAll("#files thead th"), function (th) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = th.textContent;
    b.title = "Sort by " + th.textContent.toLowerCase();
    th.textContent = "";
    th.appendChild(b);
    b.addEventListener("click", function () { sortBy(th.dataset.key); });
  });
  form.addEventListener("change", function () { page = 0; apply(); });
  document.getElementById("prev").addEventListener("click", function () { page--; apply(); });
  document.getElementById("next").addEventListener("click", function () { page++; apply(); });
  window.addEventListener("hashchange", function () { params(); page = 0; apply(); });
  params();
  apply();
})();
