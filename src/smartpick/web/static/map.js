// SmartPick results: the list by state on a map of US states (vendored us-atlas TopoJSON,
// drawn with the vendored topojson-client and d3-geo; no tiles, no network beyond this server).
// States are shaded by how many programs of the list (as filtered) they hold; clicking one
// filters the table to it.
"use strict";
window.SmartPickMap = (function () {
  var NAMES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC",
    "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL",
    "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA",
    "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN",
    "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
    "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY",
    "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR",
    "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD",
    "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA",
    "Washington": "WA", "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
    "Puerto Rico": "PR"
  };
  var topo = null;
  var paths = [];
  var svg = null;

  function el(name) { return document.createElementNS(document.documentElement.namespaceURI.replace("1999/xhtml", "2000/svg"), name); }

  function bucket(n) { return n === 0 ? 0 : n < 3 ? 1 : n < 6 ? 2 : n < 11 ? 3 : 4; }

  function shade(counts) {
    var label = [];
    paths.forEach(function (p) {
      var n = counts[p.code] || 0;
      p.node.setAttribute("class", "st c" + bucket(n));
      p.title.textContent = p.name + ": " + n + " program" + (n === 1 ? "" : "s");
      if (n) { label.push(p.code + " " + n); }
    });
    if (svg) { svg.setAttribute("aria-label", "Map of your list by state: " + (label.join(", ") || "no program shown")); }
  }

  function draw(box, onPick) {
    var features = topojson.feature(topo, topo.objects.states).features;
    var path = d3.geoPath();
    svg = el("svg");
    svg.setAttribute("viewBox", "0 0 975 610");
    svg.setAttribute("role", "img");
    svg.setAttribute("class", "us-map");
    paths = [];
    features.forEach(function (f) {
      var node = el("path");
      var title = el("title");
      node.setAttribute("d", path(f));
      node.appendChild(title);
      var code = NAMES[f.properties.name] || f.properties.name;
      node.addEventListener("click", function () { onPick(code); });
      svg.appendChild(node);
      paths.push({ code: code, name: f.properties.name, node: node, title: title });
    });
    box.replaceChildren(svg);
  }

  function init(root, counts, onPick) {
    var box = root.querySelector("#map[data-src]");
    if (!box || !window.topojson || !window.d3 || !d3.geoPath) { return; }
    var ready = topo ? Promise.resolve(topo) : fetch(box.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("map " + r.status); } return r.json(); });
    ready.then(function (t) { topo = t; draw(box, onPick); shade(counts()); })
      .catch(function () { box.textContent = "The map could not be drawn; the table below lists the programs by state."; });
  }

  return { init: init, shade: function (counts) { if (svg) { shade(counts); } } };
})();
