// labour-bridge pages: the little behaviour htmx does not give.
// After htmx swaps in a fragment, the element marked data-refocus (the fair
// desk's check-in box) gets the keyboard focus back, empty: at once after
// the swap (htmx itself puts the focus back on the field of the same id
// that had it, the phone field, and a scanner's next number would land
// there), and again when the swap has settled.
function refocus() {
  var el = document.querySelector("[data-refocus]");
  if (el && document.activeElement !== el) { el.focus(); }
}
document.addEventListener("htmx:afterSwap", refocus);
document.addEventListener("htmx:afterSettle", refocus);
// Charts: any element with data-chart and a data-option JSON is drawn
// with ECharts when the page loaded it (the dashboard only).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) { return; }
  document.querySelectorAll("[data-chart][data-option]").forEach(function (el) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(JSON.parse(el.getAttribute("data-option")));
    window.addEventListener("resize", function () { chart.resize(); });
  });
  window.chartsReady = true;
});
