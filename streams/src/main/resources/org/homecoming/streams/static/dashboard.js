// Homecoming dashboard: province counters and drill-down from the query API, live from the SSE stream.
'use strict';

const PROVINCE = '140000';
const state = {
  lang: localStorage.getItem('homecoming.lang') || 'zh',
  period: 'ALL',
  path: [],          // regions drilled into below the province: [{code, nameZh, nameEn, level}]
  metric: 'returnees',
  province: null,    // province totals
  view: null,        // {parent, children} of the region shown
  source: null,      // EventSource
  refreshTimer: null
};
let chart = null;

const $ = (id) => document.getElementById(id);
const name = (r) => (state.lang === 'zh' ? r.nameZh : r.nameEn);
const fmt = (n) => Number(n).toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en-US');
const yuan = (fen) => Math.round(fen / 100);
const metricValue = (r, m) => (m === 'guaranteedLoansFen' ? yuan(r[m]) : r[m]);
const current = () => (state.path.length ? state.path[state.path.length - 1].code : PROVINCE);

function showError(message) {
  const box = $('error');
  box.textContent = message || '';
  box.hidden = !message;
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error((body.title || response.status) + ': ' + (body.detail || response.statusText));
  }
  return body;
}

function applyLanguage() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-zh]').forEach((el) => {
    el.textContent = state.lang === 'zh' ? el.dataset.zh : (el.dataset.en || el.dataset.zh);
  });
  $('lang-toggle').textContent = state.lang === 'zh' ? 'English' : '中文';
  document.title = state.lang === 'zh' ? 'Homecoming · 山西返乡' : 'Homecoming · Shanxi returnees';
}

function renderCounters() {
  const p = state.province;
  if (!p) {
    return;
  }
  const set = (id, value) => { $(id).dataset.value = String(value); $(id).textContent = fmt(value); };
  set('counter-returnees', p.returnees);
  set('counter-employedNearHome', p.employedNearHome);
  set('counter-businessesStarted', p.businessesStarted);
  set('counter-loans', yuan(p.guaranteedLoansFen));
  set('counter-trained', p.trained);
  $('updated-at').textContent = p.updatedAt ? new Date(p.updatedAt).toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en-GB') : '—';
}

function renderBreadcrumb() {
  const crumbs = $('breadcrumb');
  crumbs.replaceChildren();
  const trail = [{ code: PROVINCE, nameZh: '山西省', nameEn: 'Shanxi Province' }].concat(state.path);
  trail.forEach((r, i) => {
    if (i > 0) {
      crumbs.append(' › ');
    }
    if (i < trail.length - 1) {
      const link = document.createElement('a');
      link.textContent = name(r);
      link.id = 'crumb-' + r.code;
      link.addEventListener('click', () => { state.path = state.path.slice(0, i); loadView(); });
      crumbs.append(link);
    } else {
      const here = document.createElement('strong');
      here.id = 'crumb-current';
      here.dataset.code = r.code;
      here.textContent = name(r);
      crumbs.append(here);
    }
  });
}

function sortedChildren() {
  const m = state.metric;
  return state.view.children.slice().sort((a, b) => (b[m] - a[m]) || a.regionCode.localeCompare(b.regionCode));
}

function renderView() {
  renderBreadcrumb();
  if (!state.view) {
    return;
  }
  const children = sortedChildren();
  const body = document.querySelector('#children tbody');
  body.replaceChildren();
  children.forEach((r) => {
    const row = document.createElement('tr');
    row.id = 'region-' + r.regionCode;
    row.dataset.code = r.regionCode;
    row.dataset.returnees = String(r.returnees);
    const cells = [name(r), fmt(r.returnees), fmt(r.employedNearHome), fmt(r.businessesStarted),
      fmt(yuan(r.guaranteedLoansFen)), fmt(r.jobsCreated), fmt(r.trained)];
    cells.forEach((text) => { const td = document.createElement('td'); td.textContent = text; row.append(td); });
    if (r.level !== 'TOWNSHIP') {
      row.classList.add('drillable');
      row.addEventListener('click', () => drillInto(r));
    }
    body.append(row);
  });
  const labels = children.map(name);
  const values = children.map((r) => metricValue(r, state.metric));
  const label = document.querySelector('#metric option:checked').textContent;
  if (!chart) {
    chart = new Chart($('chart'), {
      type: 'bar',
      data: { labels, datasets: [{ label, data: values, backgroundColor: '#c81e1e' }] },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        onClick: (event, elements) => {
          if (elements.length) {
            const r = sortedChildren()[elements[0].index];
            if (r && r.level !== 'TOWNSHIP') {
              drillInto(r);
            }
          }
        }
      }
    });
  } else {
    chart.data.labels = labels;
    chart.data.datasets[0].data = values;
    chart.data.datasets[0].label = label;
    chart.update();
  }
}

function drillInto(region) {
  state.path.push({ code: region.regionCode, nameZh: region.nameZh, nameEn: region.nameEn, level: region.level });
  loadView();
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
      renderCounters();
    }
    showError('');
    renderView();
  } catch (e) {
    showError(e.message);
  }
}

function scheduleRefresh() {
  if (state.refreshTimer) {
    return;
  }
  state.refreshTimer = setTimeout(() => { state.refreshTimer = null; loadView(); }, 1000);
}

function connect() {
  if (state.source) {
    state.source.close();
  }
  const source = new EventSource('/api/v1/stream?period=' + encodeURIComponent(state.period));
  state.source = source;
  source.addEventListener('open', () => { $('live').className = 'live on'; setLive(true); });
  source.addEventListener('error', () => { $('live').className = 'live off'; setLive(false); });
  source.addEventListener('totals', (event) => {
    const snapshot = JSON.parse(event.data);
    if (snapshot.period !== state.period) {
      return;
    }
    state.province = snapshot.province;
    renderCounters();
    if (current() === PROVINCE) {
      state.view = { parent: snapshot.province, sort: state.metric, children: snapshot.cities };
      renderView();
    } else {
      scheduleRefresh();
    }
  });
}

function setLive(on) {
  const el = $('live');
  el.dataset.zh = on ? '实时' : '重连中';
  el.dataset.en = on ? 'live' : 'reconnecting';
  el.textContent = state.lang === 'zh' ? el.dataset.zh : el.dataset.en;
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
  connect();
  loadView();
}

document.addEventListener('DOMContentLoaded', () => {
  applyLanguage();
  $('lang-toggle').addEventListener('click', () => {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('homecoming.lang', state.lang);
    applyLanguage();
    renderCounters();
    renderView();
  });
  $('period-apply').addEventListener('click', () => choosePeriod($('period').value));
  $('period').addEventListener('keydown', (e) => { if (e.key === 'Enter') { choosePeriod($('period').value); } });
  document.querySelectorAll('button.preset').forEach((b) => b.addEventListener('click', () => choosePeriod(b.dataset.period)));
  $('metric').addEventListener('change', () => { state.metric = $('metric').value; renderView(); });
  connect();
  loadView();
});
