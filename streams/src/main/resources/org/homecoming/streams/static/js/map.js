// The map of Shanxi's 11 cities, coloured by the chosen metric; a click on a city drills into it.
import { state, $, name, fmt, fmtWan, metricValue, metricName, regionTooltip } from './common.js';

// ECharts 4.1.0's Shanxi (city boundaries, Apache-2.0), unpacked into the jar by the build
const MAP_URL = '/webjars/echarts/4.1.0/map/json/province/shanxi.json';
let chart = null;

export async function initMap(onCity) {
  const response = await fetch(MAP_URL);
  // registerMap decodes ECharts' compressed coordinates ("UTF8Encoding": true)
  echarts.registerMap('shanxi', await response.json());
  chart = echarts.init($('map'));
  chart.on('click', (p) => {
    if (p.data && p.data.code) {
      onCity(p.data.code);
    }
  });
  window.addEventListener('resize', () => chart.resize());
  renderMap();
}

export function renderMap() {
  if (!chart) {
    return;
  }
  const m = state.metric;
  const selected = state.path.length ? state.path[0].code : null;
  const data = state.cities.map((c) => ({
    name: c.nameZh, value: metricValue(c, m), code: c.regionCode, city: c, selected: c.regionCode === selected,
  }));
  const max = Math.max(1e-6, ...data.map((d) => d.value));
  chart.setOption({
    animation: false,
    tooltip: { trigger: 'item', formatter: (p) => (p.data ? regionTooltip(p.data.city) : p.name) },
    visualMap: {
      min: 0, max, left: 10, bottom: 10, calculable: false, itemHeight: 100,
      text: [m === 'guaranteedLoansFen' ? fmtWan(max * 1e6) : fmt(Math.round(max)), '0'],
      inRange: { color: ['#fff1eb', '#fb9a76', '#c81e1e'] },
    },
    title: { text: metricName(m), left: 'right', top: 0, textStyle: { fontSize: 12, color: '#52606d' } },
    series: [{
      type: 'map', map: 'shanxi', roam: false, selectedMode: 'single', layoutCenter: ['50%', '50%'],
      layoutSize: '95%',
      label: { show: true, fontSize: 11, formatter: (p) => (p.data ? name(p.data.city) : p.name) },
      itemStyle: { borderColor: '#7b8794', borderWidth: 0.8 },
      select: { itemStyle: { borderColor: '#1f2933', borderWidth: 2.5 }, label: { fontWeight: 'bold' } },
      emphasis: { itemStyle: { areaColor: '#ffd8a8' } },
      data,
    }],
  }, { replaceMerge: ['series'] });
}
