// Browser code (see core.ts for the rules): the queue of open incidents.

/** Open incidents (every state but resolved), critical first, then the oldest first. */
export const INCIDENTS_SCRIPT = String.raw`
const OPEN_INCIDENT_STATES = ['new', 'acknowledged', 'investigating'];
const INCIDENT_SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
const INCIDENT_STATE_LABELS = {
  new: ['New', '未対応'], acknowledged: ['Acknowledged', '受付済'], investigating: ['Investigating', '調査中'],
  resolved: ['Resolved', '解決済'],
};
// The list is paged by opening order; a desk with more open incidents than this has bigger problems.
const INCIDENT_PAGES = 10;

function incidentSeverityBadge(severity) {
  const known = severity in INCIDENT_SEVERITY_RANK ? severity : 'info';
  return h('span', { class: 'sev sev-' + known, text: severity || 'unknown' });
}

/** English first, Japanese after it (the desk reads both; screen readers switch voice on lang). */
function bilingual(pair, fallback) {
  if (!pair) return h('span', { text: fallback });
  return h('span', {}, [pair[0], ' ', h('span', { lang: 'ja', class: 'muted', text: pair[1] })]);
}

function incidentStateLabel(state) {
  const el = bilingual(INCIDENT_STATE_LABELS[state], state);
  el.setAttribute('data-state', state);
  return el;
}

function byQueueOrder(a, b) {
  return (INCIDENT_SEVERITY_RANK[a.severity] ?? 5) - (INCIDENT_SEVERITY_RANK[b.severity] ?? 5) ||
    (parseInstant(a.openedAt) ?? 0) - (parseInstant(b.openedAt) ?? 0) ||
    (parseInstant(a.firstDetectedAt) ?? 0) - (parseInstant(b.firstDetectedAt) ?? 0) ||
    String(a.id).localeCompare(String(b.id));
}

/** Every incident in one state, following the pages; { items, complete }. */
async function incidentsIn(state) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < INCIDENT_PAGES; page++) {
    const data = await api('GET', '/api/v1/incidents?state=' + state + '&limit=500' +
      (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    items.push(...itemsOf(data));
    cursor = data && data.nextCursor;
    if (!cursor) return { items, complete: true };
  }
  return { items, complete: false };
}

async function loadIncidents() {
  let lists;
  try {
    lists = await Promise.all(OPEN_INCIDENT_STATES.map(incidentsIn));
  } catch (error) {
    // A role the incidents API does not serve (403), or an API without it (404): a note, not a failure.
    if (error.status === 403 || error.status === 404) {
      byId('incidents').hidden = true;
      byId('incidents-unavailable').textContent = 'Incidents are not available to this token (' +
        error.status + ': ' + error.message + ').';
      byId('incidents-unavailable').hidden = false;
      byId('incidents-count').textContent = '';
      return;
    }
    throw error;
  }
  byId('incidents').hidden = false;
  byId('incidents-unavailable').hidden = true;
  renderIncidents(lists.flatMap((list) => list.items).sort(byQueueOrder), lists.every((list) => list.complete));
}

function incidentButton(id) {
  return byId('incidents').querySelector('tr[data-incident-id="' + CSS.escape(id) + '"] button');
}

function renderIncidents(incidents, complete) {
  const body = byId('incidents').querySelector('tbody');
  // A keyboard user on a row keeps their place through the refresh that redraws it.
  const focusedRow = body.contains(document.activeElement) && document.activeElement.closest('tr');
  const focusedId = focusedRow ? focusedRow.getAttribute('data-incident-id') : null;
  byId('incidents-count').textContent = incidents.length ? '(' + incidents.length + (complete ? '' : '+') + ')' : '';
  byId('incidents-more').hidden = complete;
  if (!incidents.length) {
    replace(body, h('tr', {}, h('td', { colspan: 6, class: 'empty', text: 'No open incidents.' })));
    return;
  }
  replace(body, incidents.map((incident) =>
    h('tr', { 'data-incident-id': incident.id, class: 'incident-' + incident.state }, [
      h('td', {}, incidentSeverityBadge(incident.severity)),
      h('th', { scope: 'row' }, [
        h('button', {
          type: 'button', class: 'link title',
          'aria-label': 'Open incident: ' + incident.title,
          onclick: (event) => openIncident(incident.id, event.currentTarget),
        }, incident.title),
        h('div', { lang: 'ja' }, lazyText(companyName(incident.companyId), shortId(incident.companyId))),
      ]),
      h('td', {}, incidentStateLabel(incident.state)),
      h('td', {}, agoCell(incident.openedAt)),
      h('td', { class: 'num', text: fmtNumber(incident.detectionCount) }),
      h('td', { text: incident.assignee || '—' }),
    ]),
  ));
  const refocus = focusedId && incidentButton(focusedId);
  if (refocus) refocus.focus();
}
`;
