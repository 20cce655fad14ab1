// The monthly trend of the coverage rates, from the JSON the page embeds.
(function () {
  const holder = document.getElementById("coverage-trend");
  const source = document.getElementById("coverage-trend-data");
  if (!holder || !source || !window.echarts) return;
  const rows = JSON.parse(source.textContent);
  const pct = (v) => (v === null ? null : Math.round(v * 1000) / 10);
  const chart = echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "axis", valueFormatter: (v) => (v === null ? "—" : `${v}%`) },
    legend: { top: 0, data: ["组织覆盖率", "工作覆盖率", "单建率"] },
    grid: { left: 44, right: 16, top: 40, bottom: 28 },
    xAxis: { type: "category", data: rows.map((r) => r.month) },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      { name: "组织覆盖率", type: "line", data: rows.map((r) => pct(r.org_coverage_rate)) },
      { name: "工作覆盖率", type: "line", data: rows.map((r) => pct(r.work_coverage_rate)) },
      { name: "单建率", type: "line", data: rows.map((r) => pct(r.single_establish_rate)) },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
