// Browser code (see core.ts for the rules): the detection counts per company.

/** Each company's detections over the last Tokyo days, the most not stopped first (the API's order). */
export const DETECTION_COUNTS_SCRIPT = String.raw`
// The API's categories, in the table's order; EDR threats come last.
const DETECTION_COLUMNS = [
  ['virus', 'Virus', 'ウイルス'], ['intrusion', 'Intrusion', '侵入'], ['web_filter', 'Web filter', 'Webフィルタ'],
  ['app_control', 'App control', 'アプリ制御'], ['botnet', 'Botnet', 'ボットネット'],
];

function countOf(value) {
  const total = Number(value && value.total) || 0;
  const stopped = Number(value && value.stopped) || 0;
  return { total, stopped };
}

/** A count, and in red how many of them were not stopped (the part the desk must look at). */
function countCell(label, value) {
  const count = countOf(value);
  const missed = count.total - count.stopped;
  return h('td', { class: 'num' + (missed > 0 ? ' has-not-stopped' : ''), 'data-label': label }, h('span', {}, [
    fmtNumber(count.total),
    missed > 0 ? h('span', { class: 'not-stopped small' }, [
      ' ' + fmtNumber(missed) + ' not stopped ', h('span', { lang: 'ja', text: '未阻止' }),
    ]) : null,
  ]));
}

function companyTotal(company) {
  const utm = company.utm || {};
  return Object.keys(utm).map((key) => countOf(utm[key])).concat([countOf(company.edr)]).reduce(
    (sum, count) => ({ total: sum.total + count.total, stopped: sum.stopped + count.stopped }),
    { total: 0, stopped: 0 },
  );
}

async function loadDetectionCounts() {
  let data;
  try {
    data = await api('GET', '/api/v1/detections/counts');
  } catch (error) {
    // A role the API does not serve (403), or an API without it (404): a note, not a failure.
    if (error.status === 403 || error.status === 404) {
      byId('detection-counts').hidden = true;
      byId('detection-counts-period').textContent = '';
      byId('detection-counts-unavailable').textContent = 'Detection counts are not available to this token (' +
        error.status + ': ' + error.message + ').';
      byId('detection-counts-unavailable').hidden = false;
      return;
    }
    throw error;
  }
  byId('detection-counts').hidden = false;
  byId('detection-counts-unavailable').hidden = true;
  renderDetectionCounts(data || {});
}

function renderDetectionCounts(data) {
  const companies = Array.isArray(data.companies) ? data.companies : [];
  // The API's days are Tokyo dates already: shown as they are, whatever the browser's zone.
  replace(byId('detection-counts-period'), [
    'Tokyo days ', h('time', { datetime: data.from, text: data.from }), ' – ',
    h('time', { datetime: data.to, text: data.to }), ' (JST) ', h('span', { lang: 'ja', class: 'muted', text: '期間（日本時間）' }),
  ]);
  const body = byId('detection-counts').querySelector('tbody');
  if (!companies.length) {
    replace(body, h('tr', {}, h('td', { colspan: 9, class: 'empty', text: 'No detections in this period.' })));
    return;
  }
  replace(body, companies.map((company) =>
    h('tr', { 'data-company-id': company.companyId }, [
      h('th', { scope: 'row', lang: 'ja', class: 'company', text: company.companyName || shortId(company.companyId) }),
      ...DETECTION_COLUMNS.map((column) => countCell(column[1], (company.utm || {})[column[0]])),
      countCell('EDR', company.edr),
      countCell('All', companyTotal(company)),
      h('td', { class: 'num', 'data-label': 'Open incidents' }, h('span', {
        class: company.openIncidents > 0 ? 'open-incidents' : null, text: fmtNumber(company.openIncidents || 0),
      })),
    ]),
  ));
}
`;
