// The bar chart of the shown region's children and the day-by-day series of the region's year.
import { state, $, t, name, fmt, metricValue, metricName, regionTooltip } from './common.js';

// Spring Festival (春节, the first day of the lunar year) of the years registrations may be dated in
const SPRING_FESTIVAL = {
  2015: '02-19', 2016: '02-08', 2017: '01-28', 2018: '02-16', 2019: '02-05', 2020: '01-25', 2021: '02-12',
  2022: '02-01', 2023: '01-22', 2024: '02-10', 2025: '01-29', 2026: '02-17', 2027: '02-06', 2028: '01-26',
  2029: '02-13', 2030: '02-03',
};
const SERIES = [['returnees', '#c81e1e'], ['employedNearHome', '#0b69a3'], ['businessesStarted', '#e8a100'],
  ['trained', '#2f8132']];

let bars = null;
let daily = null;
let shown = [];   // the children in bar order, for clicks

export function initCharts(onDrill) {
  bars = echarts.init($('bars'));
  bars.on('click', (p) => {
    const r = shown[p.dataIndex];
    if (r && r.level !== 'TOWNSHIP') {
      onDrill(r);
    }
  });
  daily = echarts.init($('daily'));
  window.addEventListener('resize', () => { bars.resize(); daily.resize(); });
}

export function renderBars(children) {
  if (!bars) {
    return;
  }
  const m = state.metric;
  shown = children;
  bars.setOption({
    animation: false,
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item', formatter: (p) => regionTooltip(shown[p.dataIndex]) },
    xAxis: {
      type: 'category', data: children.map(name),
      axisLabel: { interval: 0, rotate: children.length > 11 ? 45 : 30, width: 110, overflow: 'truncate' },
    },
    yAxis: { type: 'value', name: metricName(m) },
    series: [{ type: 'bar', data: children.map((r) => metricValue(r, m)), itemStyle: { color: '#c81e1e' } }],
  }, { replaceMerge: ['series'] });
}

/** The days of one year: returnees, employment, businesses and training per day, the Spring Festival marked. */
export function renderDaily(series) {
  if (!daily) {
    return;
  }
  const dates = series.days.map((d) => d.date);
  const festival = SPRING_FESTIVAL[series.year] ? series.year + '-' + SPRING_FESTIVAL[series.year] : null;
  daily.setOption({
    animation: false,
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, data: SERIES.map(([m]) => metricName(m)) },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: dates, axisLabel: { formatter: (v) => v.substring(5) } },
    yAxis: { type: 'value' },
    series: SERIES.map(([m, color], i) => ({
      name: metricName(m), type: 'line', showSymbol: false, lineStyle: { width: i === 0 ? 2 : 1.2 }, itemStyle: { color },
      data: series.days.map((d) => d[m]),
      markLine: i === 0 && festival ? {
        symbol: 'none', lineStyle: { color: '#9aa5b1', type: 'dashed' },
        label: { formatter: t('春节 ', 'Spring Festival ') + festival.substring(5), align: 'left', padding: [0, 0, 0, 6] },
        data: [{ xAxis: festival }],
      } : undefined,
      markPoint: i === 0 ? {
        symbolSize: 36, label: { fontSize: 10, formatter: (p) => fmt(p.value) },
        data: [{ type: 'max', name: t('峰值', 'peak') }],
      } : undefined,
    })),
  }, { replaceMerge: ['series'] });
}

/** The day with the most returnees, for the title line. */
export function peakDay(series) {
  return series.days.reduce((best, d) => (d.returnees > best.returnees ? d : best), series.days[0]);
}
