// SmartPick application tracker: keep the plan's token in this browser (only when asked),
// record events through the JSON API with it, and redraw the tracker from the server's page.
// Without JavaScript the same forms post normally and the server redirects back.
"use strict";
(function () {
  var PREFIX = "smartpick.plan-token.";

  function stores() {
    var out = [];
    try { out.push(window.localStorage, window.sessionStorage); } catch (e) { /* disabled */ }
    return out;
  }
  function tokenOf(plan) {
    var list = stores();
    for (var i = 0; i < list.length; i++) {
      var t = list[i].getItem(PREFIX + plan);
      if (t) { return t; }
    }
    return null;
  }
  function keep(plan, token, remember) {
    var list = stores();
    if (list.length) { (remember ? list[0] : list[1]).setItem(PREFIX + plan, token); }
  }
  function forget(plan) {
    stores().forEach(function (s) { s.removeItem(PREFIX + plan); });
  }

  // The saved plan's page: offer to remember the token shown once.
  Array.prototype.forEach.call(document.querySelectorAll("button.track-remember"), function (btn) {
    var plan = btn.getAttribute("data-plan");
    var shown = document.querySelector("code.delete-token");
    if (!plan || !shown) { return; }
    function label() {
      var kept = tokenOf(plan) !== null;
      btn.textContent = kept ? "Forget the token on this browser" : "Remember the token in this browser";
      btn.setAttribute("aria-pressed", kept ? "true" : "false");
    }
    btn.hidden = false;
    label();
    btn.addEventListener("click", function () {
      if (tokenOf(plan) !== null) { forget(plan); } else { keep(plan, shown.textContent.trim(), true); }
      label();
    });
  });

  var tracker = document.getElementById("tracker");
  if (!tracker) { return; }
  var plan = tracker.getAttribute("data-plan");
  var page = "/plans/" + plan + "/track";
  var busy = false;

  function say(text) {
    var el = document.getElementById("track-status");
    if (el) { el.textContent = text; }
  }
  function showRemember() {
    var r = tracker.querySelector(".remember");
    if (r) { r.hidden = false; }
  }
  function errorText(response) {
    return response.json().then(function (body) {
      return body.error || ("error " + response.status);
    }, function () { return "error " + response.status; });
  }

  // Redraw the tracker from the server (the same template as without JavaScript); ``search``
  // keeps the query of a redirect back (its "Imported: ..." message) on the first redraw.
  function refresh(token, focusId, search) {
    return fetch(page + (search || ""), {
      credentials: "same-origin",
      headers: { "X-Plan-Token": token, "X-SmartPick-Fragment": "1" }
    }).then(function (response) {
      if (response.status === 403) { forget(plan); }
      return response.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        tracker.replaceChildren.apply(tracker, Array.prototype.slice.call(doc.body.childNodes));
        showRemember();
        var el = focusId && document.getElementById(focusId);
        if (el) { el.focus(); }
        return response.ok;
      });
    });
  }

  function send(method, url, body) {
    var token = tokenOf(plan);
    var headers = { "X-Plan-Token": token };
    if (body) { headers["Content-Type"] = "application/json"; }
    return fetch(url, {
      method: method, credentials: "same-origin", headers: headers,
      body: body ? JSON.stringify(body) : undefined
    });
  }

  tracker.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    if (form.id === "open-form") {
      var box = form.querySelector("#remember");
      var typed = form.querySelector("#plan_token").value.trim();
      if (typed) { keep(plan, typed, box && box.checked); }
      return; // the post goes on: the server checks the token and redirects back
    }
    if (form.id === "forget-form") { forget(plan); return; }
    var token = tokenOf(plan);
    if (form.id === "import-form") { // a plain upload: it carries the token kept here, if any
      if (token) { form.querySelector("input[name=plan_token]").value = token; }
      return;
    }
    if (!token || busy) { return; } // no token here: the server's session cookie has it
    var row = form.classList.contains("track-row");
    var undo = form.classList.contains("track-undo");
    if (!row && !undo) { return; }
    event.preventDefault();
    busy = true;
    var request;
    var code = "";
    if (row) {
      var data = new FormData(form);
      code = data.get("program_code");
      var body = { program_code: code, status: data.get("status"), date: data.get("date") };
      var note = (data.get("note") || "").trim();
      if (note) { body.note = note; }
      say("Recording…");
      request = send("POST", "/api/plans/" + plan + "/events", body);
    } else {
      say("Deleting the event…");
      request = send("DELETE", "/api/plans/" + plan + "/events/" + form.getAttribute("data-event"));
    }
    request.then(function (response) {
      if (!response.ok) {
        return errorText(response).then(function (text) {
          if (response.status === 403) { forget(plan); }
          say("Not changed: " + text);
          var box = document.createElement("p");
          box.className = "error-message";
          box.setAttribute("role", "alert");
          box.textContent = "Not changed: " + text;
          tracker.insertBefore(box, tracker.firstChild);
        });
      }
      return refresh(token, row ? "st-" + code : "history-h").then(function () {
        var p = document.getElementById("track-p");
        say((row ? "Recorded. " : "Event deleted. ") +
          (p ? "Chance of matching now " + p.textContent + "." : ""));
      });
    }).catch(function () {
      say("Could not reach the server; nothing was changed.");
    }).finally(function () { busy = false; });
  });

  // The download links: with a token kept here (not in the cookie), fetch it with the header.
  tracker.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("#events-csv, #season-xlsx");
    var token = tokenOf(plan);
    if (!link || !token) { return; }
    event.preventDefault();
    fetch(link.getAttribute("href"), { credentials: "same-origin", headers: { "X-Plan-Token": token } })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.blob();
      }).then(function (blob) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = link.getAttribute("download") || "events-" + plan + ".csv";
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
      }).catch(function () { say("Could not download the file; reload and try again."); });
  });

  showRemember();
  var token = tokenOf(plan);
  if (token && tracker.querySelector("[data-locked]")) { refresh(token, null, location.search); }
})();
