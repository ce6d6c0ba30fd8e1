// SmartPick results: the curve chart (P(match) and ERAS cost by number of applications),
// drawn by the vendored uPlot from the data-chart attribute. The highlighted point is the
// plan's headline (the whole list's odds and cost), the number shown in the summary.
"use strict";
window.SmartPickChart = (function () {
  var plot = null;

  function pct(v) { return v == null ? "" : Math.round(v * 100) + "%"; }
  function usd(v) { return v == null ? "" : "$" + Math.round(v).toLocaleString("en-US"); }

  function build(el, d) {
    var x = d.x.slice(), p = d.p.slice(), c = d.c.slice();
    var at = x.indexOf(d.headline.n);
    if (at < 0) {  // the whole list may be longer than the primary curve: add its x
      at = x.length;
      x.push(d.headline.n); p.push(null); c.push(null);
    }
    var head = x.map(function (_, i) { return i === at ? d.headline.p : null; });
    var data = [x, p, c, head];
    var series = [
      { label: "Applications" },
      { label: "P(match), primary list (estimate)", scale: "p", stroke: "#0b5cad", width: 3, value: function (u, v) { return pct(v); } },
      { label: "ERAS fees", scale: "usd", stroke: "#9a4d00", width: 2, dash: [6, 4], value: function (u, v) { return usd(v); } },
      { label: "Your whole list: " + d.headline.n + " programs, " + pct(d.headline.p) + ", " + usd(d.headline.c),
        scale: "p", stroke: "#1b1f24", width: 0,
        points: { show: true, size: 14, fill: "#1b1f24", stroke: "#ffffff", width: 2 },
        value: function (u, v) { return pct(v); } }
    ];
    if (d.target != null) {
      data.push(x.map(function () { return d.target; }));
      series.push({ label: "Target " + pct(d.target), scale: "p", stroke: "#0b5cad", width: 1, dash: [2, 4], points: { show: false }, value: function (u, v) { return pct(v); } });
    }
    if (d.budget != null) {
      data.push(x.map(function () { return d.budget; }));
      series.push({ label: "Budget " + usd(d.budget), scale: "usd", stroke: "#9a4d00", width: 1, dash: [2, 4], points: { show: false }, value: function (u, v) { return usd(v); } });
    }
    var cmax = Math.max.apply(null, c.filter(function (v) { return v != null; }).concat([d.budget || 0, 1]));
    var opts = {
      width: Math.max(300, Math.min(el.clientWidth || 640, 800)),
      height: 320,
      scales: { x: { time: false, range: function (u, lo, hi) { return [0, hi * 1.05]; } }, p: { range: [0, 1] }, usd: { range: [0, cmax * 1.05] } },
      axes: [
        { label: "Number of applications", stroke: "#1b1f24" },
        { scale: "p", label: "P(match)", stroke: "#0b5cad", values: function (u, vals) { return vals.map(pct); } },
        { scale: "usd", side: 1, label: "ERAS fees", stroke: "#9a4d00", grid: { show: false }, size: 70,
          values: function (u, vals) { return vals.map(usd); } }
      ],
      series: series,
      cursor: { drag: { x: false, y: false } },
      hooks: { draw: [function (u) {  // the headline point, drawn on top of every series
        var ctx = u.ctx, r = 7 * (window.devicePixelRatio || 1);
        var cx = u.valToPos(d.headline.n, "x", true), cy = u.valToPos(d.headline.p, "p", true);
        ctx.save();
        ctx.beginPath();
        ctx.arc(cx, cy, r, 0, 2 * Math.PI);
        ctx.fillStyle = "#1b1f24";
        ctx.fill();
        ctx.lineWidth = 2 * (window.devicePixelRatio || 1);
        ctx.strokeStyle = "#ffffff";
        ctx.stroke();
        ctx.restore();
      }] }
    };
    el.replaceChildren();
    plot = new uPlot(opts, data, el);
    var canvas = el.querySelector("canvas");
    if (canvas) {
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", el.getAttribute("data-label") || "Chart");
    }
  }

  function init(root) {
    var el = root.querySelector("#chart[data-chart]");
    if (plot) { plot.destroy(); plot = null; }
    if (!el || !window.uPlot || !el.getAttribute("data-chart")) { return; }
    build(el, JSON.parse(el.getAttribute("data-chart")));
  }

  window.addEventListener("resize", function () {
    var el = document.getElementById("chart");
    if (plot && el) { plot.setSize({ width: Math.max(300, Math.min(el.clientWidth, 800)), height: 320 }); }
  });
  return { init: init };
})();
