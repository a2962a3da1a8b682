// Browser code (see core.ts for the rules): the fleet counts, the problem list and the alerts.

/** Fleet status counts, offline/degraded appliances and open alerts. */
export const OVERVIEW_SCRIPT = String.raw`
const STATUS_ORDER = ['healthy', 'degraded', 'offline', 'unknown'];
const PROBLEM_RANK = { offline: 0, degraded: 1 };
const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 };
const knownSerials = new Map();

async function loadFleet() {
  const data = await api('GET', '/api/v1/fleet/health');
  renderFleet(data || {});
}

function renderFleet(data) {
  const counts = data.counts || {};
  const items = STATUS_ORDER.map((status) =>
    h('li', { class: 'count count-' + status }, [
      h('span', { class: 'count-value', 'data-status': status, text: counts[status] ?? 0 }),
      h('span', { class: 'count-label', text: status }),
    ]),
  );
  items.push(h('li', { class: 'count count-total' }, [
    h('span', { class: 'count-value', 'data-status': 'total', text: counts.total ?? 0 }),
    h('span', { class: 'count-label', text: 'total' }),
  ]));
  replace(byId('counts'), items);

  const sweep = data.sweep;
  byId('sweep').textContent = sweep && sweep.lastFinishedAt
    ? 'Health sweep finished ' + fmtInstant(sweep.lastFinishedAt) + ' JST in ' +
      fmtNumber((sweep.durationMs || 0) / 1000, ' s') + ', every ' + fmtNumber(sweep.intervalSeconds, ' s') +
      (sweep.overruns ? ', ' + sweep.overruns + ' overruns' : '')
    : 'No health sweep has finished yet.';

  const problems = (data.problems || []).slice().sort((a, b) =>
    (PROBLEM_RANK[a.status] ?? 2) - (PROBLEM_RANK[b.status] ?? 2) ||
    (parseInstant(a.since) ?? 0) - (parseInstant(b.since) ?? 0),
  );
  problems.forEach((p) => knownSerials.set(p.applianceId, p.serial));
  const body = byId('problems').querySelector('tbody');
  if (!problems.length) {
    replace(body, h('tr', {}, h('td', { colspan: 4, class: 'empty', text: 'Every reporting appliance is healthy.' })));
    return;
  }
  replace(body, problems.map((p) =>
    h('tr', { class: 'row-' + p.status, 'data-appliance-id': p.applianceId }, [
      h('td', {}, statusBadge(p.status)),
      h('th', { scope: 'row' }, [
        applianceButton(p.applianceId, p.serial),
        h('div', { lang: 'ja', text: p.companyName || '—' }),
      ]),
      h('td', {}, agoCell(p.since)),
      h('td', {}, [agoCell(p.lastSeenAt, true), p.lastSeenAt ? ' ago' : null]),
    ]),
  ));
}

async function loadAlerts() {
  const data = await api('GET', '/api/v1/alerts?state=unresolved&limit=200');
  renderAlerts(itemsOf(data));
}

function alertSubject(alert) {
  const subject = alert.subject || {};
  if (subject.type === 'appliance' && subject.id) {
    return applianceButton(subject.id, knownSerials.get(subject.id));
  }
  return (subject.type || '?') + ' ' + shortId(subject.id);
}

function renderAlerts(alerts) {
  const body = byId('alerts').querySelector('tbody');
  byId('alerts-count').textContent = alerts.length ? '(' + alerts.length + ')' : '';
  if (!alerts.length) {
    replace(body, h('tr', {}, h('td', { colspan: 5, class: 'empty', text: 'No open alerts.' })));
    return;
  }
  const sorted = alerts.slice().sort((a, b) =>
    (a.state === 'open' ? 0 : 1) - (b.state === 'open' ? 0 : 1) ||
    (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3) ||
    (parseInstant(b.lastSeenAt) ?? 0) - (parseInstant(a.lastSeenAt) ?? 0),
  );
  replace(body, sorted.map((alert) =>
    h('tr', { 'data-alert-id': alert.id, class: 'alert-' + alert.state }, [
      h('td', {}, h('span', { class: 'sev sev-' + alert.severity, text: alert.severity })),
      h('td', {}, [h('div', { class: 'kind', text: alert.kind }), alertSubject(alert)]),
      h('td', { lang: 'ja', class: 'message' }, [
        alert.message,
        alert.occurrences > 1 ? h('span', { class: 'muted small', text: ' ×' + alert.occurrences }) : null,
        alert.silenced ? h('span', { class: 'muted small', text: ' (silenced)' }) : null,
      ]),
      h('td', {}, [
        agoCell(alert.openedAt),
        h('div', { class: 'muted small' }, ['last seen ', agoCell(alert.lastSeenAt, true), ' ago']),
      ]),
      h('td', {}, alert.state === 'open'
        ? h('button', {
            type: 'button', class: 'ack',
            'aria-label': 'Acknowledge alert: ' + alert.kind + ' — ' + alert.message,
            onclick: (event) => acknowledge(alert, event.currentTarget),
          }, 'Acknowledge')
        : h('span', {
            class: 'state', tabindex: -1, title: alert.acknowledgedAt ? fmtInstant(alert.acknowledgedAt) + ' JST' : null,
            text: alert.state + (alert.acknowledgedBy ? ' by ' + alert.acknowledgedBy : ''),
          })),
    ]),
  ));
}

async function acknowledge(alert, button) {
  button.disabled = true;
  button.textContent = 'Acknowledging…';
  notice('alerts-section', '');
  try {
    await api('POST', '/api/v1/alerts/' + encodeURIComponent(alert.id) + '/acknowledge');
    await loadAlerts();
    const row = byId('alerts').querySelector('tr[data-alert-id="' + CSS.escape(alert.id) + '"] .state');
    if (row) row.focus();
  } catch (error) {
    if (isFatal(error)) return;
    button.disabled = false;
    button.textContent = 'Acknowledge';
    notice('alerts-section', 'Could not acknowledge: ' + error.message);
  }
}
`;
