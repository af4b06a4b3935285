// wattswap live dashboard: plain ES module, no build step. Globals from the page: uPlot (charts,
// served from node_modules by the server) and io (socket.io's own client at /socket.io/).
/* global uPlot, io */

const TZ = 'America/Los_Angeles';
const $ = (id) => document.getElementById(id);
const C = {
  price: '#fbbf24', tariff: '#f87171', export: '#38bdf8', clearing: '#a78bfa',
  plans: ['#f87171', '#fb923c', '#f472b6', '#e879f9'],
  planned: '#a78bfa', actual: '#fbbf24', residual: '#f87171',
  load: '#f472b6', pv: '#facc15', imp: '#f87171', exp: '#38bdf8', p2p: '#a78bfa', charge: '#34d399', discharge: '#60a5fa',
  axis: '#8d99b8', grid: '#1e2944',
};
const MAX_SOC_SERIES = 24;
const MAX_TRADES_SHOWN = 40;

const usd = (x) => (x < 0 ? '−$' : '$') + Math.abs(x).toFixed(2);
const fmtTime = new Intl.DateTimeFormat('en-US', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hour12: false });
const fmtDay = new Intl.DateTimeFormat('en-US', { timeZone: TZ, month: 'short', day: 'numeric', weekday: 'short' });

const S = {
  health: null,
  runId: null,
  status: null,
  meta: null,
  summary: null,
  last: -1,
  x: [],
  price: [], exportRate: [], clearing: [],
  /** each plan's import rate per interval (meta.plans order) */
  planRates: [],
  load: [], pv: [], imp: [], exp: [], p2p: [], charge: [], discharge: [],
  soc: [],
  plannedNet: [], actualNet: [], residual: [],
  lastTick: null,
  fed: [],
  dirty: false,
};

// ------------------------------------------------------------------ REST helpers

async function api(method, url, body) {
  const headers = {};
  const token = $('token').value.trim();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const issues = data && data.issues ? '\n' + data.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n') : '';
    throw new Error(`${(data && data.message) || res.statusText}${issues}`);
  }
  return data;
}

function showError(e) {
  const el = $('error');
  if (!e) { el.hidden = true; el.textContent = ''; return; }
  el.hidden = false;
  el.textContent = e instanceof Error ? e.message : String(e);
}

// ------------------------------------------------------------------ charts

// Before a run the x scale is a placeholder, [0, 1] s: time labels on it would read 31 Dec 1969 (the
// epoch in California). The time axis draws no labels, ticks or grid until a run gives it times.
const untilData = (u, splits) => (S.x.length === 0 ? splits.map(() => null) : splits);

/** Time labels in California, as uPlot's own: 2pm, with the date under the first label and under each new day. */
const fmtHour = uPlot.fmtDate('{h}{aa}');
const fmtHourMinute = uPlot.fmtDate('{h}:{mm}{aa}');
const fmtFirstDate = uPlot.fmtDate('{M}/{D}/{YY}');
const fmtDate = uPlot.fmtDate('{M}/{D}');
function timeLabels(u, splits) {
  let prevDay = null;
  return splits.map((v) => {
    if (v == null) return '';
    const d = uPlot.tzDate(new Date(v * 1e3), TZ);
    const time = d.getMinutes() === 0 ? fmtHour(d) : fmtHourMinute(d);
    const day = d.getDate();
    const label = prevDay === null ? `${time}\n${fmtFirstDate(d)}` : day !== prevDay ? `${time}\n${fmtDate(d)}` : time;
    prevDay = day;
    return label;
  });
}

function axes(yLabel, fmt) {
  const base = { stroke: C.axis, grid: { stroke: C.grid, width: 1 }, ticks: { stroke: C.grid, width: 1 }, font: '14px system-ui, sans-serif' };
  return [
    { ...base, filter: untilData, values: timeLabels, grid: { ...base.grid, filter: untilData }, ticks: { ...base.ticks, filter: untilData } },
    { ...base, label: yLabel, labelFont: '13px system-ui, sans-serif', size: 64, values: fmt ? (u, vals) => vals.map(fmt) : undefined },
  ];
}

function makeChart(el, series, yLabel, opts = {}) {
  const width = Math.max(320, el.clientWidth);
  const u = new uPlot(
    {
      width,
      height: opts.height || 250,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), TZ),
      scales: { x: { time: true, range: () => xRange() }, y: opts.yRange ? { range: opts.yRange } : {} },
      axes: axes(yLabel, opts.fmt),
      series: [{ label: 'time', value: (u, v) => (v == null ? '—' : fmtTime.format(new Date(v * 1e3))) }, ...series],
      legend: { show: opts.legend !== false, live: true },
      cursor: { drag: { x: false, y: false } },
    },
    [[], ...series.map(() => [])],
    el,
  );
  const resize = new ResizeObserver(() => u.setSize({ width: Math.max(320, el.clientWidth), height: opts.height || 250 }));
  resize.observe(el);
  resizers.set(u, resize);
  return u;
}

const resizers = new WeakMap();
/** Removes a chart and stops following its element's size. */
function destroyChart(u) {
  if (!u) return;
  resizers.get(u)?.disconnect();
  u.destroy();
}

function xRange() {
  if (S.x.length === 0) return [0, 1];
  const step = S.meta ? S.meta.interval_minutes * 60 : 1800;
  return [S.x[0], S.x[S.x.length - 1] + step];
}

const line = (label, stroke, extra = {}) => ({ label, stroke, width: 2.5, spanGaps: false, points: { show: false }, ...extra });
const stepped = uPlot.paths && uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined;
const money = (v) => (v == null ? '—' : `$${v.toFixed(3)}`);
const kwh = (v) => (v == null ? '—' : `${v.toFixed(2)} kWh`);

const charts = {
  price: null,
  flows: makeChart($('chart-flows'), [
    line('load', C.load, { value: (u, v) => kwh(v) }),
    line('PV', C.pv, { fill: 'rgba(250, 204, 21, 0.10)', value: (u, v) => kwh(v) }),
    line('grid import', C.imp, { value: (u, v) => kwh(v) }),
    line('grid export', C.exp, { value: (u, v) => kwh(v) }),
    line('P2P delivered', C.p2p, { width: 3.5, fill: 'rgba(167, 139, 250, 0.18)', value: (u, v) => kwh(v) }),
    line('battery charge', C.charge, { dash: [6, 4], value: (u, v) => kwh(v) }),
    line('battery discharge', C.discharge, { dash: [6, 4], value: (u, v) => kwh(v) }),
  ], 'kWh'),
  coord: makeChart($('chart-coord'), [
    line('planned P2P sold − bought', C.planned, { paths: stepped, value: (u, v) => kwh(v) }),
    line('actual P2P sold − bought', C.actual, { paths: stepped, dash: [6, 4], value: (u, v) => kwh(v) }),
    line('planned imbalance at the final price', C.residual, { paths: stepped, dash: [3, 4], value: (u, v) => kwh(v) }),
  ], 'kWh', { height: 220 }),
  soc: null,
};

/**
 * Price signal, export value and P2P clearing price beside the import rate of each PG&E plan the
 * community's homes are on (one line per plan, named with its number of homes).
 */
function buildPriceChart() {
  const el = $('chart-price');
  destroyChart(charts.price);
  charts.price = null;
  el.innerHTML = '';
  const plans = S.meta ? S.meta.plans : [];
  const homes = S.meta ? S.meta.households.length : 0;
  const planLine = (p, k) => line(
    plans.length === 1 ? `PG&E ${p.id} import (all homes)` : `${p.id} import (${p.households} of ${homes} homes)`,
    C.plans[k % C.plans.length],
    { paths: stepped, dash: k === 0 ? [8, 5] : [14, 4, 3, 4], value: (u, v) => money(v) },
  );
  const series = [
    line('price signal', C.price, { paths: stepped, width: 3.5, value: (u, v) => money(v) }),
    ...(plans.length ? plans.map(planLine) : [line('PG&E import rate', C.tariff, { paths: stepped, dash: [8, 5], value: (u, v) => money(v) })]),
    line('export value', C.export, { paths: stepped, dash: [3, 4], value: (u, v) => money(v) }),
    line('P2P clearing', C.clearing, { paths: () => null, points: { show: true, size: 9, fill: C.clearing }, value: (u, v) => money(v) }),
  ];
  $('price-note').textContent = plans.length > 1 ? `USD/kWh · the homes are on ${plans.length} plans` : 'USD/kWh';
  charts.price = makeChart(el, series, 'USD/kWh', { fmt: (v) => `$${v.toFixed(2)}` });
}

function buildSocChart() {
  const el = $('chart-soc');
  destroyChart(charts.soc);
  charts.soc = null;
  el.innerHTML = '';
  const homes = S.meta ? S.meta.households : [];
  const shown = homes.slice(0, MAX_SOC_SERIES);
  $('soc-note').textContent = homes.length > MAX_SOC_SERIES ? `kWh, first ${MAX_SOC_SERIES} of ${homes.length} homes` : 'kWh per home';
  const series = shown.map((h, i) => line(h.id, `hsl(${Math.round((i * 360) / Math.max(1, shown.length))}, 75%, 62%)`, { width: 2, value: (u, v) => kwh(v) }));
  const cap = S.meta ? S.meta.battery.capacity_kwh : 13.5;
  charts.soc = makeChart(el, series, 'kWh', { yRange: [0, Math.ceil(cap)], legend: shown.length <= 12 });
}

buildPriceChart();

// ------------------------------------------------------------------ state

function resetRun(meta) {
  S.meta = meta;
  S.summary = null;
  S.last = -1;
  S.fed = [];
  S.lastTick = null;
  const n = meta ? meta.intervals : 0;
  const t0 = meta ? Date.parse(meta.start) / 1000 : 0;
  const step = meta ? meta.interval_minutes * 60 : 1800;
  S.x = Array.from({ length: n }, (_, i) => t0 + i * step);
  const empty = () => new Array(n).fill(null);
  for (const k of ['price', 'exportRate', 'clearing', 'load', 'pv', 'imp', 'exp', 'p2p', 'charge', 'discharge', 'plannedNet', 'actualNet', 'residual']) S[k] = empty();
  S.soc = (meta ? meta.households.slice(0, MAX_SOC_SERIES) : []).map(() => empty());
  S.planRates = (meta && meta.plans.length ? meta.plans : [null]).map(() => empty());
  $('trades').innerHTML = '';
  $('fedavg').innerHTML = '';
  $('fedavg').dataset.waiting = '';
  $('coord-homes').innerHTML = '<li class="muted">No price coordination in this run.</li>';
  $('coord-note').textContent = 'planned vs actual P2P, community, kWh per 30 min';
  buildHomes();
  buildPriceChart();
  buildSocChart();
  clearFigures();
  document.body.dataset.state = meta ? 'running' : 'idle';
  document.body.dataset.lastIndex = '-1';
  S.dirty = true;
  scheduleRender();
}

/** The key figures as before any run: a new run never shows the last one's numbers. */
function clearFigures() {
  setSavings(null);
  const blank = {
    cost: '—', 'cost-foot': 'baseline —', 'trades-count': '—', 'p2p-kwh': '— kWh traded',
    'price-now': '—', 'tariff-now': 'import rate —', clock: '—', 'clock-foot': 'America/Los_Angeles',
    subtitle: 'peer-to-peer energy trading among California households',
  };
  for (const [id, text] of Object.entries(blank)) $(id).textContent = text;
  $('tariff-now').title = '';
  const dl = $('downloads');
  dl.innerHTML = '';
  dl.dataset.key = '';
}

const sum = (a) => { let s = 0; for (const v of a) s += v; return s; };

function applyTick(t, fresh) {
  if (!S.meta) return;
  const i = t.index;
  const h = t.households;
  S.price[i] = t.price_signal_usd_per_kwh;
  for (let k = 0; k < S.planRates.length; k++) S.planRates[k][i] = t.tariff_rates_usd_per_kwh ? t.tariff_rates_usd_per_kwh[k] : t.tariff_rate_usd_per_kwh;
  S.exportRate[i] = t.export_rate_usd_per_kwh;
  S.clearing[i] = t.market.clearing_price_usd_per_kwh;
  S.load[i] = sum(h.load_kwh);
  S.pv[i] = sum(h.pv_kwh);
  S.imp[i] = sum(h.grid_import_kwh);
  S.exp[i] = sum(h.grid_export_kwh);
  S.p2p[i] = sum(h.p2p_bought_kwh);
  S.charge[i] = sum(h.battery_charge_kwh);
  S.discharge[i] = sum(h.battery_discharge_kwh);
  for (let k = 0; k < S.soc.length; k++) S.soc[k][i] = S.meta.households[k].has_battery ? h.soc_kwh[k] : null;
  const c = t.coordination;
  if (c) {
    // community totals: what the homes planned to sell − buy at the final proposal, what they did
    S.plannedNet[i] = sum(c.planned_net_kwh_by_home);
    S.actualNet[i] = sum(h.p2p_sold_kwh) - sum(h.p2p_bought_kwh);
    S.residual[i] = c.residual_kwh;
  }
  S.last = Math.max(S.last, i);
  S.lastTick = t;
  addTrades(t, fresh);
  S.dirty = true;
}

function addTrades(t, fresh) {
  if (t.trades.length === 0) return;
  const list = $('trades');
  const when = fmtTime.format(new Date(Date.parse(t.start)));
  const frag = document.createDocumentFragment();
  for (const tr of t.trades) {
    const li = document.createElement('li');
    if (fresh) li.className = 'fresh';
    li.innerHTML = `<span class="t">${when}</span><span class="who">${tr.seller} → ${tr.buyer}</span><span class="kwh">${tr.delivered_kwh.toFixed(2)} kWh</span><span class="px">$${tr.price_usd_per_kwh.toFixed(3)}</span>`;
    frag.prepend(li);
  }
  list.prepend(frag);
  while (list.children.length > MAX_TRADES_SHOWN) list.lastChild.remove();
}

function buildHomes() {
  const el = $('homes');
  el.innerHTML = '';
  if (!S.meta) return;
  for (const h of S.meta.households.slice(0, 120)) {
    const d = document.createElement('div');
    d.className = 'home hold';
    d.id = `home-${h.id}`;
    d.title = `${h.id}: ${h.has_pv ? `${h.pv_kw.toFixed(1)} kW PV` : 'no PV'}${h.has_ev ? ', EV' : ''}${h.has_battery ? ', battery' : ', no battery'}`;
    d.innerHTML = `<div class="id">${h.id}</div><div class="batt">${h.has_battery ? '<i></i>' : ''}</div><div class="tags">${[h.has_pv ? 'PV' : '', h.has_ev ? 'EV' : ''].filter(Boolean).join(' · ') || '&nbsp;'}</div>`;
    el.append(d);
  }
}

function renderHomes(t) {
  if (!S.meta || !t) return;
  const cap = S.meta.battery.capacity_kwh;
  S.meta.households.slice(0, 120).forEach((h, k) => {
    const d = document.getElementById(`home-${h.id}`);
    if (!d) return;
    d.className = `home ${t.households.action[k]}`;
    const fill = d.querySelector('.batt i');
    if (fill) fill.style.height = `${Math.max(0, Math.min(100, (100 * t.households.soc_kwh[k]) / cap))}%`;
  });
}

const MAX_PLAN_ROWS = 40;

/** Each home's planned net P2P position at the final proposal beside what it actually traded. */
function renderPlans(t) {
  const c = t.coordination;
  if (!S.meta || !c) return;
  const h = t.households;
  const n = Math.min(S.meta.households.length, MAX_PLAN_ROWS);
  const planned = c.planned_net_kwh_by_home;
  const actual = (k) => h.p2p_sold_kwh[k] - h.p2p_bought_kwh[k];
  let scale = 1e-9;
  for (let k = 0; k < n; k++) scale = Math.max(scale, Math.abs(planned[k]), Math.abs(actual(k)));
  const bar = (cls, v) => {
    const w = (50 * Math.abs(v)) / scale;
    return `<i class="${cls}" style="width:${w.toFixed(1)}%;left:${(v < 0 ? 50 - w : 50).toFixed(1)}%"></i>`;
  };
  const rows = [];
  for (let k = 0; k < n; k++) {
    const id = S.meta.households[k].id;
    rows.push(`<li title="${id}: planned ${planned[k].toFixed(3)} kWh, actual ${actual(k).toFixed(3)} kWh"><span>${id}</span><span class="bars">${bar('plan', planned[k])}${bar('act', actual(k))}</span><span class="v">${actual(k).toFixed(2)}</span></li>`);
  }
  $('coord-homes').innerHTML = rows.join('');
  $('coord-note').textContent = `interval ${t.index + 1}: ${c.iterations} proposal${c.iterations === 1 ? '' : 's'}, planned imbalance ${c.residual_kwh.toFixed(2)} kWh`;
}

function setSavings(value, final) {
  const el = $('savings');
  if (value == null) {
    el.textContent = '—';
    el.classList.remove('negative');
    $('savings-label').textContent = 'Savings vs PG&E baseline';
    $('savings-foot').textContent = 'no battery, no P2P, same homes on the same tariff';
    return;
  }
  el.textContent = value;
  el.classList.toggle('negative', value.startsWith('-') || value.startsWith('−'));
  $('savings-label').textContent = final ? 'Saved vs PG&E baseline' : 'Running energy savings vs PG&E';
}

// ------------------------------------------------------------------ rendering (once per frame)

let frame = 0;
function scheduleRender() {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    render();
  });
}

function render() {
  if (!S.dirty) return;
  S.dirty = false;
  if (charts.price) charts.price.setData([S.x, S.price, ...S.planRates, S.exportRate, S.clearing]);
  charts.flows.setData([S.x, S.load, S.pv, S.imp, S.exp, S.p2p, S.charge, S.discharge]);
  charts.coord.setData([S.x, S.plannedNet, S.actualNet, S.residual]);
  if (charts.soc) charts.soc.setData([S.x, ...S.soc]);
  // legends show the latest interval unless the pointer is on a chart
  if (S.last >= 0) for (const u of [charts.price, charts.flows, charts.coord, charts.soc]) if (u && u.cursor.idx == null) u.setLegend({ idx: S.last });
  const t = S.lastTick;
  document.body.dataset.lastIndex = String(S.last);
  if (t) {
    $('price-now').textContent = `$${t.price_signal_usd_per_kwh.toFixed(3)}`;
    const c = t.coordination;
    const foot = $('tariff-now');
    foot.textContent = `${importRatesText(t, false)} · export $${t.export_rate_usd_per_kwh.toFixed(3)}`;
    foot.title =
      `${importRatesText(t, true)} · export $${t.export_rate_usd_per_kwh.toFixed(3)}` +
      (c ? ` · after ${c.iterations} price proposal${c.iterations === 1 ? '' : 's'}, planned imbalance ${c.residual_kwh.toFixed(2)} kWh` : '');
    const d = new Date(Date.parse(t.start));
    $('clock').textContent = fmtTime.format(d);
    $('clock-foot').textContent = `${fmtDay.format(d)} · interval ${t.index + 1} of ${t.intervals}`;
    $('trades-count').textContent = String(t.running.trades);
    $('p2p-kwh').textContent = `${t.running.p2p_sent_kwh.toFixed(1)} kWh sent peer-to-peer`;
    renderHomes(t);
    renderPlans(t);
    if (!S.summary) {
      setSavings(usd(t.running.energy_savings_usd), false);
      $('savings-foot').textContent = `energy charges so far: ${usd(t.running.energy_cost_usd)} vs ${usd(t.running.baseline_energy_cost_usd)}`;
      $('cost').textContent = usd(t.running.energy_cost_usd);
      $('cost-foot').textContent = `baseline ${usd(t.running.baseline_energy_cost_usd)} (energy only)`;
    }
  }
  if (S.summary) {
    const s = S.summary;
    setSavings(s.display.savings, true);
    const c = s.community;
    const parts = c && c.bill_savings_usd !== undefined
      ? ` = bills ${usd(c.bill_savings_usd)} + stored energy ${usd(c.stored_energy_value_usd)} − wear ${usd(c.battery_wear_cost_usd)}`
      : '';
    $('savings-foot').textContent = `${s.display.savings_percent} of ${s.display.baseline_pge_cost}${parts} · ${s.run.households} homes, ${s.run.days} day${s.run.days > 1 ? 's' : ''}`;
    $('cost').textContent = s.display.optimized_cost;
    $('cost-foot').textContent = `baseline ${s.display.baseline_pge_cost} (bills incl. fixed charges)`;
    $('trades-count').textContent = String(s.trades_executed);
  }
  renderProgress();
  renderFedavgWaiting();
  fitValues(false);
}

/** Shrinks a key figure whose text is wider than its card (the CSS size follows the card's width; a long figure needs less). */
const fittedText = new WeakMap();
function fitValues(force) {
  for (const el of document.querySelectorAll('.kpi-value')) {
    const text = el.textContent;
    if (!force && fittedText.get(el) === text) continue;
    fittedText.set(el, text);
    el.style.fontSize = '';
    if (el.scrollWidth > el.clientWidth) {
      const px = parseFloat(getComputedStyle(el).fontSize);
      el.style.fontSize = `${Math.max(10, Math.floor((px * el.clientWidth) / el.scrollWidth) - 1)}px`;
    }
  }
}
new ResizeObserver(() => fitValues(true)).observe(document.querySelector('.kpis'));

/** The import rate now: the one plan's, or the community mean (with each plan's when `detail`). */
function importRatesText(t, detail) {
  const plans = S.meta ? S.meta.plans : [];
  const rates = t.tariff_rates_usd_per_kwh || [];
  if (plans.length <= 1) return `${plans.length ? plans[0].id : 'import'} $${t.tariff_rate_usd_per_kwh.toFixed(3)}`;
  const each = detail ? ` (${plans.map((p, k) => `${p.id} $${(rates[k] ?? NaN).toFixed(3)}`).join(', ')})` : '';
  return `mean import $${t.tariff_rate_usd_per_kwh.toFixed(3)}${each}`;
}

function renderProgress() {
  const st = S.status;
  const fill = $('progress-fill');
  const text = $('progress-text');
  if (!st) { fill.style.width = '0'; return; }
  const p = st.progress;
  let frac = 0;
  let msg;
  if (st.status === 'failed') msg = `Run failed: ${st.error}`;
  else if (st.status === 'cancelled') msg = 'Run cancelled.';
  else if (st.phase === 'starting') msg = 'Starting…';
  else if (st.phase === 'history') {
    frac = p.history_days ? (0.25 * p.history_day) / p.history_days : 0;
    msg = `Generating ${p.history_days} days of history for the forecasters… day ${p.history_day}`;
  } else {
    const shown = Math.max(S.last + 1, 0);
    frac = 0.25 + (0.75 * shown) / Math.max(1, p.intervals);
    msg = `Interval ${shown} of ${p.intervals}`;
    if (st.phase === 'baselines') msg += ' · computing the comparison runs…';
    if (p.interval > shown) msg += ` · engine at ${p.interval}`;
    if (st.paused) msg += ' · paused';
    if (S.summary) msg = `Done: ${p.intervals} intervals, ${st.households} homes, ${p.trades} trades`;
    if (st.dropped > 0) msg += ` · ${st.dropped} intervals coalesced for slow viewers`;
  }
  fill.style.width = `${Math.round(100 * Math.min(1, S.summary ? 1 : frac))}%`;
  text.textContent = msg;
  $('pause').disabled = !(st.status === 'running' || (S.last + 1 < p.intervals && st.status === 'done'));
  $('pause').textContent = st.paused ? '▶ Resume' : '❚❚ Pause';
  $('cancel').disabled = st.status !== 'running';
  const dl = $('downloads');
  const files = st.files || [];
  const key = files.join(',') + st.id;
  if (dl.dataset.key !== key) {
    dl.dataset.key = key;
    dl.innerHTML = files.length ? 'Download: ' + files.map((f) => `<a href="/api/runs/${st.id}/files/${f}" download>${f}</a>`).join('') : '';
  }
}

// ------------------------------------------------------------------ socket

const socket = io({ transports: ['websocket', 'polling'] });
socket.on('connect', () => {
  $('live-dot').classList.add('on');
  if (S.runId) join(S.runId);
});
socket.on('disconnect', () => $('live-dot').classList.remove('on'));

function join(id) {
  S.runId = id;
  $('run-id').textContent = `run ${id}`;
  if (location.hash !== `#run=${id}`) history.replaceState(null, '', `#run=${id}`);
  socket.emit('join', id, (ack) => {
    if (!ack || !ack.ok) showError(new Error(`cannot follow run ${id}: ${ack ? ack.error : 'no answer'}`));
  });
}

socket.on('snapshot', (snap) => {
  if (snap.run.id !== S.runId) return;
  S.status = snap.run;
  resetRun(snap.meta);
  for (const t of snap.ticks) applyTick(t, false);
  for (const f of snap.federated) addFederated(f);
  if (snap.summary) finish(snap.summary);
  reflectPacing();
  scheduleRender();
});
socket.on('meta', (meta) => {
  if (!meta || meta.run_id !== S.runId) return;
  resetRun(meta);
});
socket.on('tick', (t) => {
  if (t.run_id !== S.runId) return;
  applyTick(t, true);
  scheduleRender();
});
socket.on('gap', (g) => {
  // intervals skipped because this viewer fell behind: the charts keep a hole there
  if (g.run_id !== S.runId) return;
});
socket.on('status', (st) => {
  if (st.id !== S.runId) return;
  S.status = st;
  reflectPacing();
  S.dirty = true;
  scheduleRender();
});
socket.on('federated', (f) => {
  if (f.run_id !== S.runId) return;
  addFederated(f);
});
socket.on('summary', (m) => {
  if (m.run_id !== S.runId) return;
  finish(m.summary);
  scheduleRender();
});

function finish(summary) {
  S.summary = summary;
  refreshCompareChoices().catch(showError);
  S.dirty = true;
  document.body.dataset.state = 'done';
  $('subtitle').textContent = `${summary.run.scenario} · seed ${summary.run.seed} · ${summary.run.households} homes · ${summary.run.tariff}`;
}

/** One FedAvg round's record (federated.json's shape) as a line of the panel. */
function addFederated(f) {
  const list = $('fedavg');
  if (S.fed.length === 0) list.innerHTML = '';
  S.fed.push(f);
  const r = f.record || {};
  const num = (v) => (typeof v === 'number' ? v.toFixed(4) : '—');
  const round = r.round ?? S.fed.length;
  const used = typeof r.clients_used === 'number' ? r.clients_used : Array.isArray(r.clients) ? r.clients.length : null;
  const asked = typeof r.clients_asked === 'number' ? r.clients_asked : used;
  const clients = used === null ? '? clients' : asked !== used ? `${used} of ${asked} clients` : `${used} client${used === 1 ? '' : 's'}`;
  const samples = typeof r.samples === 'number' ? `${r.samples.toLocaleString('en-US')} samples` : '';
  const loss = r.status === 'too_few_clients'
    ? 'kept the previous model'
    : `${num(r.global_validation_loss_before)} → ${num(r.global_validation_loss_after)}`;
  const li = document.createElement('li');
  li.className = 'round';
  li.innerHTML = `<span class="t">#${round}</span><span class="who">${clients}${samples ? ` · ${samples}` : ''}</span><span class="loss">${loss}</span>`;
  li.title = r.note ? `${r.note}` : `round ${round} at interval ${(r.tick ?? f.at_interval) + 1}: validation loss (pinball) of the global model before → after`;
  list.prepend(li);
}

/** What the FedAvg panel says while it has no round to show: why, from the run's forecaster and phase. */
function renderFedavgWaiting() {
  if (S.fed.length > 0) return;
  const m = S.meta;
  const st = S.status;
  let text;
  if (!st) text = 'No run yet.';
  else if (!m) text = st.status === 'running' ? 'Waiting for the run to start…' : 'No federated learning in this run.';
  else if (m.fedavg_every_intervals === null) text = `No federated learning in this run (forecaster: ${m.forecaster}).`;
  else if (st.phase === 'starting' || st.phase === 'history') {
    const p = st.progress;
    text = `Pre-training the ${m.forecaster} forecasters on ${p.history_days} days of history (day ${p.history_day}); FedAvg rounds start in the trading window, one every ${m.fedavg_every_intervals} intervals.`;
  } else if (st.status === 'running') text = `Waiting for the first FedAvg round (one every ${m.fedavg_every_intervals} intervals)…`;
  else text = 'No FedAvg round ran in this run.';
  const list = $('fedavg');
  if (list.dataset.waiting !== text) {
    list.dataset.waiting = text;
    list.innerHTML = `<li class="muted">${text}</li>`;
  }
}

function reflectPacing() {
  const st = S.status;
  if (!st) return;
  const sel = $('speed');
  const v = String(st.speed);
  if (![...sel.options].some((o) => o.value === v)) sel.append(new Option(`${v} intervals/s`, v));
  sel.value = v;
}

// ------------------------------------------------------------------ controls

$('controls').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  showError(null);
  const body = { scenario: $('scenario').value, speed: Number($('speed').value) };
  const seed = $('seed').value.trim();
  if (seed !== '') body.seed = Number(seed);
  const config = {};
  const homes = $('households').value.trim();
  const days = $('days').value.trim();
  const homesIssue = homesLimitIssue();
  if (homesIssue) { showError(new Error(homesIssue)); return; }
  if (homes !== '') config.households = { count: Number(homes) };
  if (days !== '') config.time = { days: Number(days) };
  if (Object.keys(config).length) body.config = config;
  $('start').disabled = true;
  try {
    const r = await api('POST', '/api/runs', body);
    S.status = r.run;
    resetRun(null);
    join(r.id);
  } catch (e) {
    showError(e);
  } finally {
    $('start').disabled = false;
  }
});

/** The Homes field against the server's limit: a message, or null when it fits. */
function homesLimitIssue() {
  const el = $('households');
  const max = Number(el.max);
  const v = el.value.trim();
  const bad = v !== '' && Number(v) > max;
  el.classList.toggle('invalid', bad);
  return bad ? `Homes: a server run has at most ${max.toLocaleString('en-US')} homes (you asked for ${Number(v).toLocaleString('en-US')}): use the CLI for more` : null;
}
$('households').addEventListener('input', () => {
  const issue = homesLimitIssue();
  const el = $('error');
  if (issue) showError(new Error(issue));
  else if (el.textContent.startsWith('Homes:')) showError(null);
});

$('pause').addEventListener('click', async () => {
  if (!S.status) return;
  try {
    S.status = await api('PATCH', `/api/runs/${S.status.id}`, { paused: !S.status.paused });
    renderProgress();
  } catch (e) { showError(e); }
});

$('speed').addEventListener('change', async () => {
  if (!S.status || document.body.dataset.state !== 'running') return;
  try {
    S.status = await api('PATCH', `/api/runs/${S.status.id}`, { speed: Number($('speed').value) });
  } catch (e) { showError(e); }
});

$('cancel').addEventListener('click', async () => {
  if (!S.status) return;
  try {
    await api('DELETE', `/api/runs/${S.status.id}`);
  } catch (e) { showError(e); }
});

// ------------------------------------------------------------------ comparing two finished runs

/** The rows of the comparison: a summary figure each; `better` says which way of B − A is good news. */
const COMPARED = [
  { key: 'savings_usd', label: 'Savings vs PG&E baseline', unit: 'usd', better: 1 },
  { key: 'savings_percent', label: 'Savings, % of baseline bills', unit: 'pct', better: 1 },
  { key: 'optimized_cost_usd', label: 'Community bills', unit: 'usd', better: -1 },
  { key: 'baseline_cost_usd', label: 'Bills without battery or P2P', unit: 'usd', better: 0 },
  { key: 'p2p_delivered_kwh', label: 'P2P energy delivered', unit: 'kwh', better: 0 },
  { key: 'trades', label: 'Trades', unit: 'count', better: 0 },
  { key: 'peak_grid_import_kw', label: 'Peak grid import', unit: 'kw', better: -1 },
  { key: 'self_sufficiency_percent', label: 'Self-sufficiency', unit: 'pct', better: 1 },
];

/** A compared figure as text; `signed` for a difference (+/−, a zero shown as ±0). */
function compareText(v, unit, signed) {
  if (v == null) return '—';
  const sign = !signed ? (v < 0 ? '−' : '') : v > 0 ? '+' : v < 0 ? '−' : '±';
  const a = Math.abs(v);
  if (unit === 'usd') return `${sign}$${a.toFixed(2)}`;
  if (unit === 'pct') return `${sign}${a.toFixed(1)}${signed ? ' pts' : ' %'}`;
  if (unit === 'kwh') return `${sign}${a.toFixed(1)} kWh`;
  if (unit === 'kw') return `${sign}${a.toFixed(2)} kW`;
  return `${sign}${a.toFixed(0)}`;
}

const cmpCharts = { price: null, flows: null, savings: null };

/** Time of day of hours from a run's start (runs start at midnight): 14:00, or d2 14:00 past the first day. */
function elapsedLabel(h, days) {
  const hh = Math.floor((h % 24) + 1e-9);
  const mm = Math.round((h - Math.floor(h)) * 60);
  const clock = `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
  return days > 1 ? `d${Math.floor(h / 24) + 1} ${clock}` : clock;
}

/** One overlay chart: series of A solid, of B dashed, on hours from each run's start. */
function overlayChart(el, series, data, yLabel, fmt, days) {
  const width = Math.max(300, el.clientWidth);
  const base = { stroke: C.axis, grid: { stroke: C.grid, width: 1 }, ticks: { stroke: C.grid, width: 1 }, font: '13px system-ui, sans-serif' };
  el.innerHTML = '';
  const u = new uPlot(
    {
      width,
      height: 230,
      scales: { x: { time: false } },
      axes: [
        { ...base, values: (u, splits) => splits.map((h) => elapsedLabel(h, days)) },
        { ...base, label: yLabel, labelFont: '12px system-ui, sans-serif', size: 60, values: (u, vals) => vals.map(fmt) },
      ],
      series: [{ label: 'time', value: (u, h) => (h == null ? '—' : elapsedLabel(h, days)) }, ...series],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    },
    data,
    el,
  );
  const resize = new ResizeObserver(() => u.setSize({ width: Math.max(300, el.clientWidth), height: 230 }));
  resize.observe(el);
  resizers.set(u, resize);
  return u;
}

function renderComparison(c) {
  $('compare-body').hidden = false;
  $('compare-note').textContent = `Runs ${c.a.run.id} (A) and ${c.b.run.id} (B): figures from each run's summary.json; B − A in green where it is good news for the homes, in red where it is not.`;
  $('compare-label-a').textContent = c.a.label;
  $('compare-label-b').textContent = c.b.label;
  $('compare-table').tBodies[0].innerHTML = COMPARED.map((m) => {
    const d = c.difference[m.key];
    const verdict = d == null || m.better === 0 || Math.abs(d) < 1e-9 ? '' : Math.sign(d) === m.better ? 'better' : 'worse';
    return `<tr data-metric="${m.key}"><td>${m.label}</td><td class="a" data-value="${c.a.headline[m.key] ?? ''}">${compareText(c.a.headline[m.key], m.unit, false)}</td>` +
      `<td class="b" data-value="${c.b.headline[m.key] ?? ''}">${compareText(c.b.headline[m.key], m.unit, false)}</td>` +
      `<td class="diff ${verdict}" data-value="${d ?? ''}">${compareText(d, m.unit, true)}</td></tr>`;
  }).join('');

  const n = Math.max(c.a.series.load_kwh.length, c.b.series.load_kwh.length);
  const stepH = c.a.interval_minutes / 60;
  const x = Array.from({ length: n }, (_, i) => i * stepH);
  const pad = (arr) => Array.from({ length: n }, (_, i) => (i < arr.length ? arr[i] : null));
  const days = Math.ceil((n * stepH) / 24);
  const pair = (name, key, color, fmtV, extra = {}) => [
    [line(`A ${name}`, color, { value: (u, v) => fmtV(v), ...extra }), pad(c.a.series[key])],
    [line(`B ${name}`, color, { dash: [7, 5], value: (u, v) => fmtV(v), ...extra }), pad(c.b.series[key])],
  ];
  const chart = (slot, el, pairs, yLabel, fmtAxis) => {
    destroyChart(cmpCharts[slot]);
    cmpCharts[slot] = overlayChart(el, pairs.map((p) => p[0]), [x, ...pairs.map((p) => p[1])], yLabel, fmtAxis, days);
  };
  chart('price', $('chart-cmp-price'), [
    ...pair('price signal', 'price_signal_usd_per_kwh', C.price, money, { paths: stepped }),
    ...pair('mean import rate', 'import_rate_usd_per_kwh', C.tariff, money, { paths: stepped, width: 2 }),
  ], 'USD/kWh', (v) => `$${v.toFixed(2)}`);
  chart('flows', $('chart-cmp-flows'), [
    ...pair('load', 'load_kwh', C.load, kwh),
    ...pair('PV', 'pv_kwh', C.pv, kwh),
    ...pair('grid import', 'grid_import_kwh', C.imp, kwh),
    ...pair('P2P delivered', 'p2p_delivered_kwh', C.p2p, kwh),
  ], 'kWh', (v) => v.toFixed(1));
  chart('savings', $('chart-cmp-savings'), pair('energy savings', 'energy_savings_usd', C.charge, money), 'USD', (v) => `$${v.toFixed(0)}`);
  document.body.dataset.compared = `${c.a.run.id},${c.b.run.id}`;
}

/**
 * Fills the two run pickers with the finished runs the server keeps (newest first). A picker the
 * user has not touched follows the newest runs: B the newest, A the one before.
 */
async function refreshCompareChoices() {
  const { runs } = await api('GET', '/api/runs');
  const done = runs.filter((r) => r.status === 'done');
  for (const [id, pick] of [['compare-a', 1], ['compare-b', 0]]) {
    const sel = $(id);
    const keep = sel.dataset.chosen === 'true' && done.some((r) => r.id === sel.value) ? sel.value : null;
    sel.innerHTML = '';
    for (const r of done) sel.append(new Option(`${r.id} · ${r.scenario} · seed ${r.seed} · ${r.households} homes · ${r.days} d`, r.id));
    sel.value = keep ?? done[Math.min(pick, done.length - 1)]?.id ?? '';
  }
  $('compare-open').disabled = done.length < 2;
}

$('compare-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  showError(null);
  try {
    const a = $('compare-a').value;
    const b = $('compare-b').value;
    if (!a || !b) throw new Error('Compare: pick two finished runs');
    renderComparison(await api('GET', `/api/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`));
  } catch (e) {
    showError(e);
  }
});
for (const id of ['compare-a', 'compare-b']) {
  $(id).addEventListener('change', () => ($(id).dataset.chosen = 'true'));
}

async function init() {
  try {
    const [health, sc] = await Promise.all([api('GET', '/api/health'), api('GET', '/api/scenarios')]);
    S.health = health;
    $('token-label').hidden = !health.auth_required;
    const maxHomes = health.limits.max_households;
    $('households').max = String(maxHomes);
    $('households').title = `1 to ${maxHomes.toLocaleString('en-US')} homes in a server run (the CLI runs more)`;
    $('households-hint').textContent = `1–${maxHomes.toLocaleString('en-US')}`;
    const sel = $('scenario');
    for (const s of sc.scenarios) {
      const o = new Option(s.name, s.name);
      o.title = s.description;
      sel.append(o);
    }
    sel.value = sc.default;
    const speed = String(health.default_speed);
    if (![...$('speed').options].some((o) => o.value === speed)) $('speed').append(new Option(`${speed} intervals/s`, speed));
    $('speed').value = speed;
    const m = /^#run=([A-Za-z0-9_-]+)$/.exec(location.hash);
    if (m) join(m[1]);
    await refreshCompareChoices();
    document.body.dataset.ready = 'true';
  } catch (e) {
    showError(e);
  }
}
init();
