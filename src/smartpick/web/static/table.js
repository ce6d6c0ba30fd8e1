// SmartPick results: the program table. Sorting by the vendored tablesort (click a header, or
// Tab to it and press Enter); filters, per-row details and stars added here. Without
// JavaScript the table, its checkboxes and the action buttons still work as a form.
"use strict";
window.SmartPickTable = (function () {
  var KEY = "smartpick.filters";
  var table = null;
  var onChange = function () {};

  function columns() {
    var out = {};
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      var col = th.getAttribute("data-col");
      if (col) { out[col] = i; }
    });
    return out;
  }

  function rows() {
    return Array.prototype.filter.call(table.tBodies[0].rows, function (r) {
      return r.hasAttribute("data-code");
    });
  }

  function cell(row, i) {
    if (i === undefined) { return ""; }
    var text = "";
    row.cells[i].childNodes.forEach(function (n) {
      if (!(n.nodeType === 1 && n.classList.contains("row-actions"))) { text += n.textContent; }
    });
    return text.trim();
  }

  function saved() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }

  function apply(root) {
    var cols = columns();
    var state = {};
    var shown = 0, all = 0;
    var tests = [];
    root.querySelectorAll("#filters [data-col]").forEach(function (input) {
      var v = input.value.trim();
      state[input.id] = v;
      if (!v) { return; }
      var i = cols[input.getAttribute("data-col")];
      if (input.tagName === "SELECT") {
        tests.push(function (r) { return cell(r, i) === v; });
      } else {
        var key = v.toLowerCase();
        tests.push(function (r) { return cell(r, i).toLowerCase().indexOf(key) >= 0; });
      }
    });
    var min = root.querySelector("#f-min");
    if (min && min.value !== "") {
      state["f-min"] = min.value;
      var floor = parseFloat(min.value);
      tests.push(function (r) { return parseFloat(cell(r, cols.chance)) >= floor; });
    }
    var star = root.querySelector("#f-star");
    if (star && star.checked) {
      state["f-star"] = "1";
      tests.push(function (r) { return r.classList.contains("starred"); });
    }
    rows().forEach(function (r) {
      var ok = tests.every(function (t) { return t(r); });
      r.hidden = !ok;
      var next = r.nextElementSibling;
      if (next && next.classList.contains("detail")) { next.hidden = !ok; }
      all += 1; shown += ok ? 1 : 0;
    });
    var count = root.querySelector("#f-count");
    if (count) { count.textContent = "Showing " + shown + " of " + all + " programs."; }
    try { sessionStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* storage full or off */ }
    onChange();
  }

  function fillOptions(root) {
    var cols = columns();
    var before = saved();
    root.querySelectorAll("#filters select[data-col]").forEach(function (select) {
      var i = cols[select.getAttribute("data-col")];
      var seen = {};
      rows().forEach(function (r) { seen[cell(r, i)] = true; });
      Object.keys(seen).sort().forEach(function (v) {
        var o = document.createElement("option");
        o.value = v; o.textContent = v;
        select.appendChild(o);
      });
    });
    root.querySelectorAll("#filters input, #filters select").forEach(function (input) {
      var v = before[input.id];
      if (v === undefined) { return; }
      if (input.type === "checkbox") { input.checked = v === "1"; }
      else if (input.tagName !== "SELECT" || input.querySelector('option[value="' + CSS.escape(v) + '"]')) { input.value = v; }
    });
  }

  function button(text, attrs) {
    var b = document.createElement("button");
    b.textContent = text;
    Object.keys(attrs).forEach(function (k) { b.setAttribute(k, attrs[k]); });
    return b;
  }

  function closeDetail(row) {
    var next = row.nextElementSibling;
    if (next && next.classList.contains("detail")) { next.remove(); return true; }
    return false;
  }

  function addRowButtons(root, loadCards) {
    var width = table.tHead.rows[0].cells.length;
    rows().forEach(function (r) {
      var code = r.getAttribute("data-code");
      var name = r.querySelector("a").textContent;
      var starred = r.classList.contains("starred");
      var box = document.createElement("span");
      box.className = "row-actions";
      var details = button("Details", { type: "button", "class": "small", "aria-expanded": "false", "aria-label": "Details: " + name });
      details.addEventListener("click", function () {
        if (closeDetail(r)) { details.setAttribute("aria-expanded", "false"); return; }
        details.setAttribute("aria-expanded", "true");
        loadCards([code]).then(function (html) {
          var tr = document.createElement("tr");
          tr.className = "detail";
          var td = document.createElement("td");
          td.colSpan = width;
          td.innerHTML = html;
          tr.appendChild(td);
          r.after(tr);
        });
      });
      var star = button(starred ? "Unstar" : "Star", {
        type: "submit", form: "adjust", name: starred ? "unstar" : "star", value: code, "class": "small",
        "aria-label": (starred ? "Unstar " : "Star ") + name
      });
      box.append(details, star);
      r.cells[2].appendChild(box);
    });
  }

  function init(root, opts) {
    table = root.querySelector("#programs");
    if (!table) { return; }
    onChange = opts.onChange || function () {};
    if (window.Tablesort) {
      new Tablesort(table);
      table.addEventListener("beforeSort", function () {
        table.querySelectorAll("tr.detail").forEach(function (d) { d.remove(); });
        table.querySelectorAll('[aria-expanded="true"]').forEach(function (b) { b.setAttribute("aria-expanded", "false"); });
      });
    }
    var filters = root.querySelector("#filters");
    if (filters) {
      filters.hidden = false;
      fillOptions(root);
      filters.addEventListener("input", function () { apply(root); });
      filters.addEventListener("change", function () { apply(root); });
    }
    addRowButtons(root, opts.loadCards);
    apply(root);
  }

  function countsByState() {
    var out = {};
    if (!table) { return out; }
    var i = columns().state;
    rows().forEach(function (r) {
      if (!r.hidden) { var s = cell(r, i); out[s] = (out[s] || 0) + 1; }
    });
    return out;
  }

  function pickState(root, code) {
    var select = root.querySelector("#f-state");
    if (!select) { return; }
    select.value = select.value === code || !select.querySelector('option[value="' + CSS.escape(code) + '"]') ? "" : code;
    apply(root);
    select.focus();
  }

  return { init: init, countsByState: countsByState, pickState: pickState };
})();
