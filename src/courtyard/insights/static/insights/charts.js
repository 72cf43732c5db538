// Insights charts: Chart.js draws what the page passed with json_script (no inline script, CSP-safe).
// Every chart has a table beside it; colours are the Okabe–Ito palette, safe for colour-blind readers.
(function () {
  "use strict";
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"];
  const DASHES = [[], [6, 4], [2, 3], [10, 4, 2, 4]];

  function data(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function lineChart(canvas, source) {
    const series = source[canvas.dataset.series] || [];
    return new window.Chart(canvas, {
      type: "line",
      data: {
        labels: source.labels,
        datasets: series.map((s, i) => ({
          label: s.label, data: s.data, borderColor: PALETTE[i % PALETTE.length],
          backgroundColor: PALETTE[i % PALETTE.length], borderDash: DASHES[i % DASHES.length],
          pointStyle: ["circle", "rect", "triangle", "rectRot"][i % 4], pointRadius: 4, spanGaps: true, tension: 0.2,
        })),
      },
      options: { responsive: true, animation: false, scales: { y: { beginAtZero: true } } },
    });
  }

  function barChart(canvas, source) {
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: source.departments,
        datasets: [{
          label: "E-I index", data: source.department_ei,
          backgroundColor: source.department_ei.map((v) => (v !== null && v < 0 ? "#E69F00" : "#0072B2")),
        }],
      },
      options: { indexAxis: "y", responsive: true, animation: false, scales: { x: { min: -1, max: 1 } },
                 plugins: { legend: { display: false } } },
    });
  }

  function eiTrend(canvas, source) {
    return new window.Chart(canvas, {
      type: "line",
      data: { labels: source.labels, datasets: [{ label: "E-I index", data: source.ei, borderColor: PALETTE[0],
              backgroundColor: PALETTE[0], pointRadius: 4, spanGaps: true }] },
      options: { responsive: true, animation: false, scales: { y: { min: -1, max: 1 } } },
    });
  }

  function paintHeat(root) {
    // Heat map colours come as data attributes: the CSP allows no inline style attribute... from scripts it may.
    root.querySelectorAll("td[data-bg]").forEach((cell) => {
      cell.style.backgroundColor = cell.dataset.bg;
      cell.style.color = cell.dataset.fg;
    });
  }

  function draw(root) {
    paintHeat(root);
    if (!window.Chart) { return; }
    root.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      if (canvas.dataset.drawn) { return; }
      const source = data(canvas.dataset.source);
      if (!source) { return; }
      canvas.dataset.drawn = "1";
      const kind = canvas.dataset.chart;
      if (kind === "line") { lineChart(canvas, source); }
      else if (kind === "bar") { barChart(canvas, source); }
      else if (kind === "ei-trend") { eiTrend(canvas, source); }
    });
  }

  document.addEventListener("DOMContentLoaded", () => draw(document));
  document.addEventListener("htmx:afterSwap", (event) => draw(event.detail.target));
})();
