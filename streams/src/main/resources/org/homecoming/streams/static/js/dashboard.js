// Homecoming dashboard: the province counters, the city map, drill-down, the year day by day and the rejections,
// from the query API, live from the push stream (SSE).
import { PROVINCE, state, $, t, name, current, currentRegion, getJson, showError, throttle } from './common.js';
import { initMap, renderMap } from './map.js';
import { initCharts, renderBars, renderDaily } from './charts.js';
import { renderCounters, renderFreshness, renderBreadcrumb, renderTable, renderRejections } from './panels.js';

let source = null;

function applyLanguage() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-zh]').forEach((el) => {
    el.textContent = state.lang === 'zh' ? el.dataset.zh : (el.dataset.en || el.dataset.zh);
  });
  $('lang-toggle').textContent = state.lang === 'zh' ? 'English' : '中文';
  document.title = t('Homecoming · 山西返乡', 'Homecoming · Shanxi returnees');
}

function sortedChildren() {
  const m = state.metric;
  return state.view.children.slice().sort((a, b) => (b[m] - a[m]) || a.regionCode.localeCompare(b.regionCode));
}

function renderView() {
  renderBreadcrumb((i) => { state.path = state.path.slice(0, i); regionChanged(); });
  renderMap();
  if (!state.view) {
    return;
  }
  const children = sortedChildren();
  renderTable(children, drillInto);
  renderBars(children);
  $('bars-title').textContent = name(currentRegion()) + t(' · 下级地区', ' · sub-regions');
  $('table-title').textContent = name(currentRegion()) + t(' · 明细', ' · table');
  $('children-csv').href = '/api/v1/totals/' + current() + '/children.csv?period=' + encodeURIComponent(state.period)
    + '&sort=' + state.metric;
}

function drillInto(region) {
  state.path.push({ code: region.regionCode, nameZh: region.nameZh, nameEn: region.nameEn, level: region.level });
  regionChanged();
}

function drillIntoCity(code) {
  const city = state.cities.find((c) => c.regionCode === code);
  if (city) {
    state.path = [];
    drillInto(city);
  }
}

function regionChanged() {
  loadView();
  loadDaily();
}

async function loadView() {
  const code = current();
  try {
    const view = await getJson('/api/v1/totals/' + code + '/children?period=' + encodeURIComponent(state.period)
      + '&sort=' + state.metric);
    if (code !== current()) {
      return; // the user moved on while this was loading
    }
    state.view = view;
    if (code === PROVINCE) {
      state.province = view.parent;
      state.cities = view.children;
      renderCounters();
    }
    showError('');
    renderView();
  } catch (e) {
    showError(e.message);
  }
}

async function loadDaily() {
  const code = current();
  const url = '/api/v1/totals/' + code + '/daily' + (state.year ? '?year=' + state.year : '');
  try {
    const series = await getJson(url);
    if (code !== current()) {
      return;
    }
    $('year').value = String(series.year);
    $('daily-csv').href = '/api/v1/totals/' + code + '/daily.csv?year=' + series.year;
    renderDaily(series);
  } catch (e) {
    showError(e.message);
  }
}

async function loadRejections() {
  try {
    renderRejections(await getJson('/api/v1/rejections?period=' + encodeURIComponent(state.period)));
    $('rejections-csv').href = '/api/v1/rejections.csv?period=' + encodeURIComponent(state.period);
  } catch (e) {
    showError(e.message);
  }
}

async function loadFreshness() {
  try {
    renderFreshness(await getJson('/api/v1/freshness'));
  } catch (e) {
    // the freshness line keeps its last answer; the counters are what matters
  }
}

const refreshView = throttle(loadView, 1000);
const refreshDaily = throttle(loadDaily, 3000);
const refreshRejections = throttle(loadRejections, 2000);
const refreshFreshness = throttle(loadFreshness, 1000);

function setLive(on) {
  const el = $('live');
  el.className = on ? 'live on' : 'live off';
  el.dataset.zh = on ? '实时' : '重连中';
  el.dataset.en = on ? 'live' : 'reconnecting';
  el.textContent = t(el.dataset.zh, el.dataset.en);
}

function connect() {
  if (source) {
    source.close();
  }
  source = new EventSource('/api/v1/stream?period=' + encodeURIComponent(state.period));
  source.addEventListener('open', () => setLive(true));
  source.addEventListener('error', () => setLive(false));
  source.addEventListener('totals', (event) => {
    const snapshot = JSON.parse(event.data);
    if (snapshot.period !== state.period) {
      return;
    }
    state.province = snapshot.province;
    state.cities = snapshot.cities;
    renderCounters();
    if (current() === PROVINCE) {
      state.view = { parent: snapshot.province, sort: state.metric, children: snapshot.cities };
      renderView();
    } else {
      renderMap();
      refreshView();
    }
    refreshDaily();
    refreshRejections();
    refreshFreshness();
  });
}

async function choosePeriod(period) {
  const text = (period || 'ALL').trim() || 'ALL';
  try {
    await getJson('/api/v1/totals/' + PROVINCE + '?period=' + encodeURIComponent(text));
  } catch (e) {
    showError(e.message);
    return;
  }
  state.period = /^all$/i.test(text) ? 'ALL' : text;
  $('period').value = state.period;
  if (state.period !== 'ALL') {
    state.year = state.period.substring(0, 4);
  }
  connect();
  loadView();
  loadDaily();
  loadRejections();
}

function fillYears() {
  const select = $('year');
  for (let year = new Date().getFullYear(); year >= 2015; year--) {
    const option = document.createElement('option');
    option.value = option.textContent = String(year);
    select.append(option);
  }
  select.addEventListener('change', () => { state.year = select.value; loadDaily(); });
}

document.addEventListener('DOMContentLoaded', async () => {
  applyLanguage();
  fillYears();
  $('lang-toggle').addEventListener('click', () => {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('homecoming.lang', state.lang);
    applyLanguage();
    renderCounters();
    renderView();
    loadDaily();
    loadRejections();
    loadFreshness();
  });
  $('period-apply').addEventListener('click', () => choosePeriod($('period').value));
  $('period').addEventListener('keydown', (e) => { if (e.key === 'Enter') { choosePeriod($('period').value); } });
  document.querySelectorAll('button.preset').forEach((b) => b.addEventListener('click', () => choosePeriod(b.dataset.period)));
  $('metric').addEventListener('change', () => { state.metric = $('metric').value; renderView(); });
  initCharts(drillInto);
  connect();
  loadView();
  loadDaily();
  loadRejections();
  loadFreshness();
  setInterval(loadFreshness, 5000);
  setInterval(loadRejections, 10000);
  try {
    await initMap(drillIntoCity);
  } catch (e) {
    showError(t('地图加载失败：', 'The map did not load: ') + e.message);
  }
});
