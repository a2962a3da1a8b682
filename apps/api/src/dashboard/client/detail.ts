// Browser code (see core.ts for the rules): one appliance's detail panel.

/** openAppliance(id): the appliance, its health (chart), its config revisions and a read-back on demand. */
export const DETAIL_SCRIPT = String.raw`
let detailOpener = null;

async function optional(promise) {
  try {
    return { data: await promise };
  } catch (error) {
    if (isFatal(error)) throw error;
    return { error };
  }
}

function openAppliance(id, opener) {
  session.detailId = id;
  detailOpener = opener || null;
  const section = byId('detail');
  section.hidden = false;
  byId('detail-title').textContent = 'Appliance ' + (knownSerials.get(id) || shortId(id));
  replace(byId('detail-body'), h('p', { class: 'muted', text: 'Loading…' }));
  section.scrollIntoView({ block: 'start' });
  section.focus({ preventScroll: true });
  loadDetail(id).catch((error) => {
    if (!isFatal(error)) notice('detail', 'Could not load the appliance: ' + error.message);
  });
}

function closeDetail() {
  session.detailId = null;
  byId('detail').hidden = true;
  replace(byId('detail-body'), []);
  if (detailOpener && detailOpener.isConnected) detailOpener.focus();
  detailOpener = null;
}

async function loadDetail(id) {
  const base = '/api/v1/appliances/' + encodeURIComponent(id);
  const [appliance, health, revisions] = await Promise.all([
    api('GET', base),
    optional(api('GET', base + '/health')),
    optional(api('GET', base + '/config/revisions?limit=10')),
  ]);
  if (session.detailId !== id) return;
  notice('detail', '');
  knownSerials.set(id, appliance.serial);
  byId('detail-title').textContent = 'Appliance ' + appliance.serial + ' (' + appliance.model + ')';
  replace(byId('detail-body'), [
    h('div', { class: 'detail-grid' }, [facts(appliance, health), h('div', {}, [
      h('h3', { id: 'chart-title', text: 'Health history (JST)' }),
      health.data ? healthChart(health.data.history, 'chart-title') : h('p', { class: 'muted', text: 'Health not available: ' + health.error.message }),
      health.data ? historyTable(health.data.history) : null,
    ])]),
    h('h3', { text: 'Config revisions' }),
    revisions.data ? revisionTable(itemsOf(revisions.data)) : h('p', { class: 'muted', text: 'Revisions not available: ' + revisions.error.message }),
    readBackBlock(id),
  ]);
}

// A read-back's progress per appliance: kept here, since every refresh redraws the panel.
const readBacks = new Map();
const READBACK_POLL_MS = 2000;
const READBACK_POLLS = 60;

function readBackBlock(id) {
  const state = readBacks.get(id);
  return h('div', { id: 'readback', class: 'readback' }, [
    h('button', { type: 'button', disabled: Boolean(state && state.busy), onclick: () => checkRunningConfig(id) }, 'Check the running config now'),
    h('p', { role: 'status', class: state && state.drift ? 'drift' : 'muted', text: state ? state.text : 'Reads the device and compares it with its last revision.' }),
    state && state.diff && state.diff.length
      ? h('div', {}, [
          h('h4', { text: "In the template's sections (the next push puts them back)" }),
          h('pre', { class: 'diff', 'aria-label': 'Lines that differ: - in the last revision, + on the device', text: state.diff.join('\n') }),
        ])
      : null,
    state && state.unmanaged && state.unmanaged.length
      ? h('div', {}, [
          h('h4', { text: 'Outside the template (changed by hand; pushes keep them)' }),
          h('pre', { class: 'diff', 'aria-label': 'Lines changed outside the template: - at the last confirmed push, + on the device', text: state.unmanaged.join('\n') }),
        ])
      : null,
  ]);
}

function setReadBack(id, state) {
  readBacks.set(id, state);
  const el = byId('readback');
  if (el && session.detailId === id) el.replaceWith(readBackBlock(id));
}

/** Queues a read-back job and follows it until the worker has read the device. */
async function checkRunningConfig(id) {
  setReadBack(id, { busy: true, text: 'Asking the worker to read the device…' });
  try {
    const queued = await api('POST', '/api/v1/appliances/' + encodeURIComponent(id) + '/config/readback');
    setReadBack(id, { busy: true, text: 'Read-back queued (job ' + shortId(queued.jobId) + '); waiting for the worker…' });
    for (let poll = 0; poll < READBACK_POLLS; poll++) {
      await new Promise((resolve) => setTimeout(resolve, READBACK_POLL_MS));
      const job = await api('GET', '/api/v1/jobs/' + encodeURIComponent(queued.jobId));
      if (job.state === 'succeeded') {
        const result = job.result || {};
        setReadBack(id, result.drift
          ? { drift: true, diff: result.diff, unmanaged: result.unmanaged, text: 'Drift: the device changed since its last confirmed push (' + fmtInstant(job.finishedAt) + ' JST).' }
          : { text: result.expectedHash ? 'The device runs its last revision (' + fmtInstant(job.finishedAt) + ' JST).' : 'Read; no revision has been confirmed yet to compare with.' });
        return;
      }
      if (job.state === 'failed' || job.state === 'cancelled') {
        setReadBack(id, { text: 'The read-back ' + job.state + ': ' + (job.lastError || 'no reason given') });
        return;
      }
      setReadBack(id, { busy: true, text: job.state === 'running' ? 'Reading the device…' : 'Read-back queued (job ' + shortId(queued.jobId) + '); waiting for the worker…' });
    }
    setReadBack(id, { text: 'No answer yet; the job is /api/v1/jobs/' + queued.jobId });
  } catch (error) {
    if (isFatal(error)) return;
    setReadBack(id, { text: 'Could not check: ' + error.message });
  }
}

function fact(term, value) {
  return [h('dt', { text: term }), h('dd', {}, value == null || value === '' ? '—' : value)];
}

function facts(appliance, health) {
  const hd = health.data || {};
  const threats = hd.threats || {};
  return h('dl', { class: 'facts' }, [
    fact('Serial', appliance.serial),
    fact('Company', appliance.companyId ? h('span', { lang: 'ja' }, lazyText(companyName(appliance.companyId), shortId(appliance.companyId))) : null),
    fact('Loan state', appliance.state),
    fact('Health', health.data ? statusBadge(hd.status) : 'not available'),
    fact('Since', hd.since ? agoCell(hd.since) : null),
    fact('Last seen', hd.lastSeenAt ? agoCell(hd.lastSeenAt) : null),
    fact('CPU', fmtNumber(hd.cpu, '%')),
    fact('Memory', fmtNumber(hd.memory, '%')),
    fact('Sessions', fmtNumber(hd.sessions)),
    fact('Firmware', hd.firmware || appliance.firmware),
    fact('IPS blocks (last minute)', fmtNumber(threats.intrusionsBlockedLastMinute)),
    fact('Viruses (last minute)', fmtNumber(threats.virusesCaughtLastMinute)),
    fact('Last minute read', threats.sampledAt ? agoCell(threats.sampledAt) : null),
    fact('Config drift', hd.configDrift == null ? null : hd.configDrift ? 'yes — running config differs' : 'no'),
    fact('Management', appliance.management ? appliance.management.host + ':' + appliance.management.port : null),
  ].flat());
}

function revisionTable(items) {
  if (!items.length) return h('p', { class: 'muted', text: 'No configuration has been confirmed on this appliance yet.' });
  return h('table', { class: 'revisions' }, [
    h('caption', { class: 'visually-hidden', text: 'Config revisions, newest first' }),
    h('thead', {}, h('tr', {}, ['#', 'Template', 'Hash', 'Pushed by', 'Confirmed (JST)'].map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, items.map((r) => h('tr', {}, [
      h('td', { class: 'num', text: r.number }),
      h('td', { text: r.templateVersion }),
      h('td', {}, h('code', { title: r.hash, text: String(r.hash || '').slice(0, 12) })),
      h('td', { text: r.pushedBy }),
      h('td', { text: fmtInstant(r.confirmedAt) }),
    ]))),
  ]);
}
`;
