// Draws the dashboard's charts with the vendored ECharts; the numbers come from the
// page (json_script "dashboard-data"), the same ones its tables show.
(function () {
  "use strict";

  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node || !window.echarts) return;
    var chart = window.echarts.init(node);
    // Rich-text tooltips are drawn on the canvas; HTML ones carry style attributes the CSP refuses.
    chart.setOption(Object.assign({ animation: false, tooltip: { renderMode: "richText" } }, option));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function bars(title, labels, values, unit) {
    return {
      title: { text: title, textStyle: { fontSize: 14 } },
      grid: { left: 48, right: 16, top: 48, bottom: 64 },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", max: unit === "%" ? 100 : null },
      series: [{ type: "bar", data: values, label: { show: true, position: "top", formatter: "{c}" + (unit || "") } }],
    };
  }

  function start() {
    var source = document.getElementById("dashboard-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var label = function (id) {
      var node = document.getElementById(id);
      return node ? node.getAttribute("aria-label") : "";
    };
    draw("chart-funnel", {
      title: { text: label("chart-funnel"), textStyle: { fontSize: 14 } },
      legend: { bottom: 0 },
      grid: { left: 48, right: 16, top: 48, bottom: 48 },
      xAxis: { type: "category", data: data.funnel.labels },
      yAxis: { type: "value" },
      series: [
        { name: data.funnel.round_name, type: "bar", data: data.funnel.round, label: { show: true, position: "top" } },
        { name: data.funnel.overall_name, type: "bar", data: data.funnel.overall, label: { show: true, position: "top" } },
      ],
    });
    draw("chart-sources", {
      title: { text: label("chart-sources"), textStyle: { fontSize: 14 } },
      series: [{ type: "pie", radius: "60%", top: 24, data: data.sources, label: { formatter: "{b}: {c}" } }],
    });
    draw("chart-categories", bars(label("chart-categories"), data.categories.labels, data.categories.values));
    draw("chart-seconded", bars(label("chart-seconded"), data.seconded.labels, data.seconded.values, "%"));
    draw("chart-units", bars(label("chart-units"), data.units.labels, data.units.values, "%"));
    draw("chart-letters", {
      title: { text: label("chart-letters"), textStyle: { fontSize: 14 } },
      series: [{ type: "pie", radius: "60%", top: 24, data: data.letters, label: { formatter: "{b}: {c}" } }],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
