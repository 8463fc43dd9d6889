// Filters, sorting and pages for the copylint report. The first page of
// files is HTML; the sections of the others are strings in the JSON block
// #more, made into elements when their page is first shown. Files matching
// the filters (also set from the address:
// #severity=error&rule=ID&folder=DIR&page=N)
// are shown PAGE at a time, in the table and in the findings alike.
(function () {
  "use strict";
  var form = document.getElementById("controls");
  var tbody = document.querySelector("#files tbody");
  var holder = document.getElementById("sections");
  var PAGE = Number(holder.dataset.page) || 50;
  var moreBlock = document.getElementById("more");
  var more = moreBlock ? JSON.parse(moreBlock.textContent) : [];
  // Parsed once; the text would only double the memory the page holds.
  if (moreBlock) moreBlock.parentNode.removeChild(moreBlock);
  var rows = Array.prototype.slice.call(tbody.rows);
  var page = 0;
  var shown = rows;
  form.hidden = false;

  function params() {
    var p = new URLSearchParams(location.hash.slice(1));
    ["severity", "rule", "folder"].forEach(function (k) {
      if (p.has(k)) form.elements[k].value = p.get(k);
    });
    if (p.has("page")) page = Math.max(0, (parseInt(p.get("page"), 10) || 1) - 1);
  }

  function keep(row, f) {
    return (!f.severity || row.dataset.sevs.indexOf(" " + f.severity + " ") >= 0) &&
      (!f.rule || row.dataset.rules.indexOf(" " + f.rule + " ") >= 0) &&
      (!f.folder || row.dataset.folder === f.folder);
  }

  // The section of a row's file, made from its JSON string the first time.
  function section(row) {
    var id = row.dataset.file;
    var el = document.getElementById(id);
    if (!el) {
      var t = document.createElement("template");
      t.innerHTML = more[Number(id.slice(1)) - PAGE];
      el = t.content.firstElementChild;
      holder.appendChild(el);
    }
    return el;
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
      r.hidden = !keep(r, f);
      r.classList.toggle("off-page", !r.hidden && !visible);
      var s = visible ? section(r) : document.getElementById(r.dataset.file);
      if (!s) return;
      s.hidden = r.hidden;
      s.classList.toggle("off-page", !r.hidden && !visible);
      if (visible) {
        // In the table's order.
        holder.appendChild(s);
        Array.prototype.forEach.call(s.querySelectorAll("li.finding"), function (li) {
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
    rows.forEach(function (r) { tbody.appendChild(r); });
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
  window.addEventListener("hashchange", function () { page = 0; params(); apply(); });
  params();
  apply();
})();
