// The counters, the freshness line, the breadcrumb and the two tables of the page.
import { PROVINCE, state, $, t, name, fmt, fmtWan, fenText, metricText, locale } from './common.js';

// Reason codes of the rejected topic (docs/counting-rules.md), in words
const REASONS = {
  UNDESERIALIZABLE: ['无法解析的记录', 'Unreadable record'],
  BAD_KEY: ['记录键与人员不符', 'Key is not the person'],
  MISSING_FIELD: ['缺少必填项', 'Missing field'],
  UNKNOWN_TOWNSHIP: ['乡镇代码不存在', 'Unknown township'],
  NOT_A_TOWNSHIP: ['不是乡镇级代码', 'Not a township'],
  DATE_IN_FUTURE: ['日期晚于录入日', 'Date in the future'],
  DATE_TOO_EARLY: ['日期早于2015年', 'Date before 2015'],
  NEGATIVE_AMOUNT: ['金额为负', 'Negative amount'],
  LOAN_OVER_CEILING: ['贷款超过上限', 'Loan over the ceiling'],
  UNKNOWN_RETRACTION_TARGET: ['撤销的记录不存在', 'Retracts an unknown record'],
  TARGET_ALREADY_RETRACTED: ['记录已被撤销', 'Already retracted'],
  TARGET_IS_RETRACTION: ['不能撤销撤销记录', 'Retracts a retraction'],
};
const when = (instant) => (instant ? new Date(instant).toLocaleString(zhOrGb()) : '—');
const zhOrGb = () => (state.lang === 'zh' ? 'zh-CN' : 'en-GB');

export function renderCounters() {
  const p = state.province;
  if (!p) {
    return;
  }
  const set = (id, value, text) => { $(id).dataset.value = String(value); $(id).textContent = text; };
  set('counter-returnees', p.returnees, fmt(p.returnees));
  set('counter-employedNearHome', p.employedNearHome, fmt(p.employedNearHome));
  set('counter-businessesStarted', p.businessesStarted, fmt(p.businessesStarted));
  set('counter-loans', p.guaranteedLoansFen, fmtWan(p.guaranteedLoansFen));
  $('counter-loans').dataset.fen = String(p.guaranteedLoansFen);
  $('counter-loans').title = fenText(p.guaranteedLoansFen);
  set('counter-trained', p.trained, fmt(p.trained));
  $('updated-at').textContent = when(p.updatedAt);
}

export function renderFreshness(f) {
  $('counted-at').textContent = when(f.newestCountedAt);
  $('behind').dataset.seconds = f.behindSeconds == null ? '' : String(f.behindSeconds);
  $('behind').textContent = f.behindSeconds == null ? '—'
    : f.behindSeconds.toLocaleString(locale(), { maximumFractionDigits: 1 }) + t(' 秒', ' s');
  $('pending').dataset.value = String(f.pendingRegistrations);
  $('pending').textContent = fmt(f.pendingRegistrations) + t(' 条', '');
}

export function renderBreadcrumb(onCrumb) {
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
      link.addEventListener('click', () => onCrumb(i));
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

export function renderTable(children, onDrill) {
  const body = document.querySelector('#children tbody');
  body.replaceChildren();
  children.forEach((r) => {
    const row = document.createElement('tr');
    row.id = 'region-' + r.regionCode;
    row.dataset.code = r.regionCode;
    row.dataset.returnees = String(r.returnees);
    const cells = [name(r), fmt(r.returnees), fmt(r.employedNearHome), fmt(r.businessesStarted),
      metricText(r, 'guaranteedLoansFen'), fmt(r.jobsCreated), fmt(r.trained)];
    cells.forEach((text, i) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (i === 4) {
        td.title = fenText(r.guaranteedLoansFen);
      }
      row.append(td);
    });
    if (r.level !== 'TOWNSHIP') {
      row.classList.add('drillable');
      row.addEventListener('click', () => onDrill(r));
    }
    body.append(row);
  });
}

export function renderRejections(rejections) {
  const body = document.querySelector('#rejections tbody');
  body.replaceChildren();
  rejections.reasons.forEach((r) => {
    const row = document.createElement('tr');
    row.dataset.reason = r.reason;
    row.dataset.count = String(r.count);
    const label = document.createElement('td');
    label.textContent = REASONS[r.reason] ? t(REASONS[r.reason][0], REASONS[r.reason][1]) : r.reason;
    const code = document.createElement('span');
    code.className = 'code';
    code.textContent = r.reason;
    label.append(code);
    const count = document.createElement('td');
    count.textContent = fmt(r.count);
    row.append(label, count);
    body.append(row);
  });
  $('rejections-total').dataset.value = String(rejections.total);
  $('rejections-total').textContent = fmt(rejections.total);
}
