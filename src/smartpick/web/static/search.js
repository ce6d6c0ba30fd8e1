// SmartPick results: add a program by name. Searches the catalog (GET /api/programs?text=)
// and offers each match as a button that re-plans with it starred (kept in the list).
"use strict";
window.SmartPickSearch = (function () {
  var timer = null;
  var asked = 0;

  function render(list, found, listed) {
    list.replaceChildren();
    if (!found.length) {
      var none = document.createElement("li");
      none.textContent = "No program matches.";
      list.appendChild(none);
      return;
    }
    found.forEach(function (p) {
      var li = document.createElement("li");
      var label = (p.institution || "") + " — " + p.name;
      var where = [p.city, p.state].filter(Boolean).join(", ");
      li.appendChild(document.createTextNode(label + " (" + p.specialty + (where ? ", " + where : "") + ") "));
      if (listed[p.program_code]) {
        var tag = document.createElement("span");
        tag.className = "badge";
        tag.textContent = "in your list";
        li.appendChild(tag);
      } else {
        var b = document.createElement("button");
        b.type = "submit";
        b.className = "small";
        b.setAttribute("form", "adjust");
        b.name = "star";
        b.value = p.program_code;
        b.textContent = "Add";
        b.setAttribute("aria-label", "Add " + label);
        li.appendChild(b);
      }
      list.appendChild(li);
    });
  }

  function init(root) {
    var box = root.querySelector("#add-search");
    var input = root.querySelector("#add-name");
    var list = root.querySelector("#add-found");
    if (!box || !input || !list) { return; }
    box.hidden = false;
    var listed = {};
    root.querySelectorAll("#programs tr[data-code]").forEach(function (r) { listed[r.getAttribute("data-code")] = true; });
    input.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); } });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 3) { list.replaceChildren(); return; }
      timer = setTimeout(function () {
        var mine = ++asked;
        fetch("/api/programs?limit=8&text=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
          .then(function (j) {
            if (mine === asked) { render(list, Array.isArray(j) ? j : (j.programs || []), listed); }
          })
          .catch(function () { list.textContent = "The search did not answer; type NRMP codes instead."; });
      }, 250);
    });
  }
  return { init: init };
})();
