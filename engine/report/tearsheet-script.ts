/**
 * The tearsheet's own script, inlined after uPlot (its hash goes into the page's Content-Security-Policy): reads the
 * chart data from the `tearsheet-data` JSON block and draws the price, equity and drawdown charts with uPlot. Drag
 * across a chart zooms the time axis of every chart, a double-click resets it. Times are shown in UTC, values with
 * fixed decimals. The uPlot instances are window.tearsheetCharts (for a look from the console, and the e2e test).
 * Plain ES2017, no template literals (this is a TypeScript template string).
 */
export const TEARSHEET_SCRIPT = String.raw`(function () {
  'use strict';
  var root = document.documentElement;
  var box = document.getElementById('tearsheet-data');
  var problem = document.getElementById('chart-problem');
  function fail(message) {
    if (problem) { problem.textContent = message; problem.hidden = false; }
  }
  if (typeof window.uPlot !== 'function') { fail('The charts could not be drawn: the chart library did not load.'); return; }
  var data;
  try { data = JSON.parse(box.textContent); } catch (err) { fail('The chart data cannot be read: ' + err.message); return; }
  var uPlot = window.uPlot;

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function timeLabel(sec, incr) {
    var d = new Date(sec * 1000);
    var day = d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
    var hm = pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
    if (incr >= 86400) return day;
    if (incr >= 60) return (d.getUTCHours() === 0 && d.getUTCMinutes() === 0) ? day.slice(5) + ' ' + hm : hm;
    return hm + ':' + pad(d.getUTCSeconds());
  }
  function utc(sec) { return sec == null ? '' : new Date(Math.round(sec * 1000)).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, ''); } // the legend's label says UTC
  function fixed(v, digits) {
    return v == null || !isFinite(v) ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  function stepDigits(incr, min) { return Math.max(min, Math.min(8, -Math.floor(Math.log10(incr) + 1e-9))); }
  var seconds = function (ts) { return ts.map(function (t) { return t / 1000; }); };

  var charts = [];
  var ready = false;
  var syncing = false;
  function syncX(u, key) {
    if (!ready || syncing || key !== 'x') return;
    syncing = true;
    try {
      for (var i = 0; i < charts.length; i++) {
        if (charts[i] !== u) charts[i].setScale('x', { min: u.scales.x.min, max: u.scales.x.max });
      }
    } finally { syncing = false; }
  }
  // every chart shows the run's span; a double-click on any of them brings all back to it
  var span = [data.span.from / 1000, data.span.to / 1000];
  function resetAll() {
    syncing = true;
    try { charts.forEach(function (c) { c.setScale('x', { min: span[0], max: span[1] }); }); } finally { syncing = false; }
  }
  var axis = { stroke: '#667085', grid: { stroke: '#eef0f3', width: 1 }, ticks: { stroke: '#d0d5dd', width: 1 }, font: '12px system-ui, sans-serif' };
  var TIME_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 2592000, 7776000, 31536000];

  function make(el, height, series, values, yDigits, extra) {
    var opts = {
      width: Math.max(300, el.clientWidth),
      height: height,
      // room on the right for the last time label
      padding: [12, 36, 0, 0],
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      scales: { x: { time: true } },
      cursor: {
        drag: { x: true, y: false, setScale: true },
        bind: { dblclick: function () { return function () { resetAll(); return null; }; } },
      },
      legend: { live: true },
      series: [{ label: 'time (UTC)', value: function (u, v) { return utc(v); } }].concat(series),
      axes: [
        Object.assign({}, axis, { space: 80, incrs: TIME_INCRS, values: function (u, splits, i, space, incr) { return splits.map(function (v) { return timeLabel(v, incr); }); } }),
        Object.assign({}, axis, { size: 90, values: function (u, splits, i, space, incr) { var d = stepDigits(incr, yDigits); return splits.map(function (v) { return fixed(v, d); }); } }),
      ],
      hooks: { setScale: [syncX] },
    };
    if (extra) Object.assign(opts.hooks, extra);
    var u = new uPlot(opts, values, el);
    el.setAttribute('data-rendered', 'true');
    charts.push(u);
    return u;
  }

  function triangle(ctx, x, y, r, up) {
    ctx.beginPath();
    if (up) { ctx.moveTo(x, y - r); ctx.lineTo(x + r, y + r * 0.8); ctx.lineTo(x - r, y + r * 0.8); }
    else { ctx.moveTo(x, y + r); ctx.lineTo(x + r, y - r * 0.8); ctx.lineTo(x - r, y - r * 0.8); }
    ctx.closePath();
  }
  function fillMarkers(f) {
    return function (u) {
      var ctx = u.ctx;
      var b = u.bbox;
      var xmin = u.scales.x.min, xmax = u.scales.x.max;
      var inView = 0;
      for (var k = 0; k < f.t.length; k++) if (f.t[k] / 1000 >= xmin && f.t[k] / 1000 <= xmax) inView++;
      // smaller markers the more there are in view, so the price line stays visible
      var r = (inView <= 150 ? 5.5 : inView <= 600 ? 4 : inView <= 2500 ? 3 : 2.2) * (window.devicePixelRatio || 1);
      ctx.save();
      ctx.beginPath();
      ctx.rect(b.left, b.top, b.width, b.height);
      ctx.clip();
      ctx.lineWidth = (inView <= 600 ? 1.5 : 1) * (window.devicePixelRatio || 1);
      // thousands in view carpet the line: see-through, so the price shows under them (zoom in for solid markers)
      ctx.globalAlpha = inView <= 1000 ? 1 : 0.3;
      for (var i = 0; i < f.t.length; i++) {
        var t = f.t[i] / 1000;
        if (t < xmin || t > xmax) continue;
        var x = u.valToPos(t, 'x', true);
        var y = u.valToPos(f.p[i], 'y', true);
        var colour = f.s[i] > 0 ? '#067647' : '#b42318';
        triangle(ctx, x, y, r, f.s[i] > 0);
        ctx.fillStyle = f.e[i] ? colour : '#ffffff';
        ctx.strokeStyle = colour;
        ctx.fill();
        ctx.stroke();
      }
      ctx.restore();
    };
  }

  try {
    (data.prices || []).forEach(function (p, i) {
      var el = document.getElementById('price-plot-' + i);
      if (!el) return;
      make(el, 320, [{ label: p.id + ' ' + p.kind, stroke: '#2e5aac', width: 1.25, value: function (u, v) { return fixed(v, p.digits); } }],
        [seconds(p.t), p.p], Math.min(p.digits, 2), { draw: [fillMarkers(p.fills)] });
    });
    var eqEl = document.getElementById('equity-plot');
    if (eqEl && data.equity.t.length > 0) {
      make(eqEl, 280, [{ label: 'equity', stroke: '#2e5aac', width: 1.5, value: function (u, v) { return fixed(v, 2); } }],
        [seconds(data.equity.t), data.equity.v], 2);
    }
    var ddEl = document.getElementById('drawdown-plot');
    if (ddEl && data.drawdown.t.length > 0) {
      make(ddEl, 220, [{ label: 'drawdown', stroke: '#d92d20', width: 1.5, fill: 'rgba(217,45,32,0.15)', value: function (u, v) { return fixed(v, 2); } }],
        [seconds(data.drawdown.t), data.drawdown.v], 2);
    }
    window.tearsheetCharts = charts;
    root.classList.add('js');
    // after uPlot's first commit (a setScale before it sizes the y axes from a stale window of the data)
    requestAnimationFrame(function () {
      ready = true;
      resetAll();
      root.setAttribute('data-charts', 'ready');
    });
  } catch (err) {
    fail('The charts could not be drawn: ' + (err && err.message ? err.message : String(err)));
    return;
  }
  var resizing = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      charts.forEach(function (u) { u.setSize({ width: Math.max(300, u.root.parentNode.clientWidth), height: u.height }); });
    }, 100);
  });
})();
`;
