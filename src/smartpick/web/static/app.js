// SmartPick results page: adjust the list without reloading the page.
// Without JavaScript the same form posts normally and the server renders the whole page.
"use strict";
(function () {
  var results = document.getElementById("results");
  if (!results) { return; }
  var busy = false;
  var fallback = false;

  function status(text) {
    var el = document.getElementById("adjust-status");
    if (el) { el.textContent = text; }
  }

  function showPrint() {
    var btn = document.getElementById("print");
    if (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () { window.print(); });
    }
  }

  results.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    if (!(form instanceof HTMLFormElement) || form.id !== "adjust") { return; }
    // Export, save and edit leave the page: let the browser post them as usual.
    if (fallback || (submitter && submitter.hasAttribute("formaction"))) { return; }
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    var body = new URLSearchParams(new FormData(form, submitter));
    status("Updating the odds…");
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-SmartPick-Fragment": "1" }
    }).then(function (response) {
      if (!response.ok || response.headers.get("content-type").indexOf("text/html") !== 0) {
        throw new Error("status " + response.status);
      }
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      results.replaceChildren.apply(results, Array.prototype.slice.call(doc.body.childNodes));
      showPrint();
      status("Updated: chance of matching " +
        (document.getElementById("p-match") || {}).textContent + ".");
    }).catch(function () {
      // Fall back to a normal post, which shows the server's full page (or the error).
      fallback = true;
      form.requestSubmit(submitter || undefined);
    }).finally(function () { busy = false; });
  });

  showPrint();
})();

// Print every collapsed section (sources, chart numbers, screened-out programs).
window.addEventListener("beforeprint", function () {
  Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) {
    d.setAttribute("open", "");
  });
});
