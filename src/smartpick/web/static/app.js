// SmartPick results page: adjust the list without reloading, keep the results in this tab.
// Without JavaScript the same forms post normally and the server renders the whole page.
// The results (the page fragment, which carries the profile in a hidden field) are kept in
// sessionStorage, never on the server: a posted results page moves itself to /results, so
// Back from a program page and reload show the same results again.
"use strict";
(function () {
  var KEY = "smartpick.results";
  var results = document.getElementById("results");
  if (!results) { return; }
  var busy = false;
  var fallback = false;

  function status(text) {
    var el = document.getElementById("adjust-status");
    if (el) { el.textContent = text; }
  }

  function keep(html) {
    try { sessionStorage.setItem(KEY, html); } catch (e) { /* storage off or full: no restore */ }
  }

  function form() { return document.getElementById("adjust"); }

  function showPrint() {
    var btn = document.getElementById("print");
    if (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () { window.print(); });
    }
  }

  function post(action, body) {
    return fetch(action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-SmartPick-Fragment": "1" }
    }).then(function (response) {
      var type = response.headers.get("content-type") || "";
      if (!response.ok || type.indexOf("text/html") !== 0) { throw new Error("status " + response.status); }
      return response.text();
    });
  }

  function loadCards(codes) {
    var body = new URLSearchParams(new FormData(form()));
    body.delete("act"); body.delete("sel");
    codes.forEach(function (c) { body.append("show", c); });
    return post("/plan/cards", body);
  }

  function setResults(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var root = doc.getElementById("results");
    var nodes = Array.prototype.slice.call((root || doc.body).childNodes);
    results.replaceChildren.apply(results, nodes);
  }

  function enhance() {
    showPrint();
    if (window.SmartPickChart) {
      var chart = document.getElementById("chart");
      if (chart) { chart.setAttribute("data-label", chart.getAttribute("aria-label") || ""); }
      window.SmartPickChart.init(results);
    }
    var counts = function () { return window.SmartPickTable ? window.SmartPickTable.countsByState() : {}; };
    if (window.SmartPickTable) {
      window.SmartPickTable.init(results, {
        loadCards: loadCards,
        onChange: function () { if (window.SmartPickMap) { window.SmartPickMap.shade(counts()); } }
      });
    }
    if (window.SmartPickMap) {
      window.SmartPickMap.init(results, counts, function (code) { window.SmartPickTable.pickState(results, code); });
    }
    if (window.SmartPickSearch) { window.SmartPickSearch.init(results); }
  }

  function compare(submitter) {
    var picked = Array.prototype.map.call(
      results.querySelectorAll('input[name="sel"]:checked'), function (b) { return b.value; });
    var box = document.getElementById("compare");
    if (picked.length < 1 || picked.length > 4) {
      status("Select 1 to 4 programs to compare (" + picked.length + " selected).");
      return;
    }
    status("Loading the selected programs…");
    loadCards(picked).then(function (html) {
      box.hidden = false;
      box.innerHTML = '<h3 id="compare-h" tabindex="-1">Side by side</h3>' + html;
      box.setAttribute("aria-labelledby", "compare-h");
      box.querySelector("h3").focus();
      status("Showing " + picked.length + " program" + (picked.length === 1 ? "" : "s") + " side by side.");
    }).catch(function () { fallback = true; form().requestSubmit(submitter); });
  }

  results.addEventListener("submit", function (event) {
    var f = event.target;
    var submitter = event.submitter;
    if (!(f instanceof HTMLFormElement) || f.id !== "adjust") { return; }
    // Export, save and edit leave the page: let the browser post them as usual.
    if (fallback || (submitter && submitter.hasAttribute("formaction"))) { return; }
    event.preventDefault();
    if (submitter && submitter.name === "act" && submitter.value === "compare") { compare(submitter); return; }
    if (busy) { return; }
    busy = true;
    var body = new URLSearchParams(new FormData(f, submitter));
    status("Updating the odds…");
    post(f.getAttribute("action"), body).then(function (html) {
      setResults(html);
      keep(results.innerHTML);
      enhance();
      status("Updated: chance of matching " +
        (document.getElementById("p-match") || {}).textContent + ".");
    }).catch(function () {
      // Fall back to a normal post, which shows the server's full page (or the error).
      fallback = true;
      f.requestSubmit(submitter || undefined);
    }).finally(function () { busy = false; });
  });

  if (results.hasAttribute("data-posted")) {
    keep(results.innerHTML);
    history.replaceState(null, "", "/results");
  } else if (results.hasAttribute("data-restore")) {
    var kept = null;
    try { kept = sessionStorage.getItem(KEY); } catch (e) { kept = null; }
    if (kept) {
      results.innerHTML = kept;
      results.removeAttribute("data-restore");
    }
  }
  enhance();
})();

// Print every collapsed section (sources, chart numbers, screened-out programs).
window.addEventListener("beforeprint", function () {
  Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) {
    d.setAttribute("open", "");
  });
});
