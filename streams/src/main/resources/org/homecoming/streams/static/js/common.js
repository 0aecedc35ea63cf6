// Shared state, formatting and fetching of the dashboard's modules.
export const PROVINCE = '140000';

export const state = {
  lang: localStorage.getItem('homecoming.lang') || 'zh',
  period: 'ALL',
  path: [],        // regions drilled into below the province: [{code, nameZh, nameEn, level}]
  metric: 'returnees',
  province: null,  // the province's totals in the period
  cities: [],      // the 11 cities' totals in the period: what the map shows
  view: null,      // {parent, children} of the region shown
  year: '',        // year of the daily series; '' = the latest year with data
};

export const $ = (id) => document.getElementById(id);
export const zh = () => state.lang === 'zh';
export const t = (zhText, enText) => (zh() ? zhText : enText);
export const locale = () => (zh() ? 'zh-CN' : 'en-US');
export const name = (r) => (zh() ? r.nameZh : r.nameEn);
export const fmt = (n) => Number(n).toLocaleString(locale());
export const current = () => (state.path.length ? state.path[state.path.length - 1].code : PROVINCE);
export const currentRegion = () => (state.path.length ? state.path[state.path.length - 1]
  : { code: PROVINCE, nameZh: '山西省', nameEn: 'Shanxi Province', level: 'PROVINCE' });

// Money: 万元 (10,000 yuan) on the page, the exact fen in tooltips and the API. 1 万元 = 1,000,000 fen.
export const wan = (fen) => fen / 1e6;
export const fmtWan = (fen) => wan(fen).toLocaleString(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const fenText = (fen) => fmt(fen) + t(' 分', ' fen');
export const metricValue = (r, m) => (m === 'guaranteedLoansFen' ? wan(r[m]) : r[m]);
export const metricText = (r, m) => (m === 'guaranteedLoansFen' ? fmtWan(r[m]) : fmt(r[m]));

export const METRICS = ['returnees', 'employedNearHome', 'businessesStarted', 'guaranteedLoansFen', 'jobsCreated',
  'trained'];
const METRIC_NAMES = {
  returnees: ['返乡人数', 'Returnees'],
  employedNearHome: ['就近就业', 'Employed near home'],
  businessesStarted: ['返乡创业', 'Businesses started'],
  guaranteedLoansFen: ['担保贷款（万元）', 'Loans (10,000 yuan)'],
  jobsCreated: ['带动就业', 'Jobs created'],
  trained: ['技能培训', 'Trained'],
};
export const metricName = (m) => t(METRIC_NAMES[m][0], METRIC_NAMES[m][1]);

/** The tooltip of a region: every metric, loans in 万元 with the exact fen. */
export function regionTooltip(r) {
  const lines = METRICS.map((m) => metricName(m) + ': ' + metricText(r, m)
    + (m === 'guaranteedLoansFen' ? ' (' + fenText(r[m]) + ')' : ''));
  return [name(r)].concat(lines).join('<br>');
}

export function showError(message) {
  const box = $('error');
  box.textContent = message || '';
  box.hidden = !message;
}

export async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error((body.title || response.status) + ': ' + (body.detail || response.statusText));
  }
  return body;
}

/** Runs fn at most once per interval, the last call winning; calls in between are merged into one. */
export function throttle(fn, ms) {
  let timer = null;
  let last = 0;
  return () => {
    if (timer) {
      return;
    }
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(() => { timer = null; last = Date.now(); fn(); }, wait);
  };
}
