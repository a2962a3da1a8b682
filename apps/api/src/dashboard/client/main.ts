// Browser code (see core.ts for the rules): sign-in, sign-out and the 15-second refresh loop.

/** The token prompt, the refresh loop and the page's event wiring; runs last. */
export const MAIN_SCRIPT = String.raw`
const TOKEN_SHAPE = /^[A-Za-z0-9._~+\/=-]{16,512}$/;
let refreshTimer = null;
let refreshing = null;

function showLogin(message, info) {
  byId('board').hidden = true;
  byId('session').hidden = true;
  byId('stale').hidden = true;
  byId('login').hidden = false;
  byId('login-error').textContent = message || '';
  byId('login-error').hidden = !message;
  byId('login-status').textContent = info || '';
  const input = byId('token');
  input.value = '';
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
  input.focus();
}

function showBoard() {
  byId('login').hidden = true;
  byId('board').hidden = false;
  byId('session').hidden = false;
}

/** Forgets the token and everything loaded with it; a pending response of the old session is dropped. */
function signOut(message, info) {
  session.generation += 1;
  session.token = null;
  session.lastOk = null;
  sessionStorage.removeItem(TOKEN_KEY);
  clearTimeout(refreshTimer);
  refreshing = null;
  lookups.clear();
  knownSerials.clear();
  closeDetail();
  closeIncident();
  ['problems', 'incidents', 'detection-counts', 'alerts', 'trials', 'edr'].forEach((id) => byId(id).querySelector('tbody').replaceChildren());
  byId('counts').replaceChildren();
  byId('detection-counts-period').replaceChildren();
  showLogin(message, info);
}

function onUnauthorized(message) {
  if (!session.token) return;
  signOut('The API rejected this token (401: ' + message + '). Enter a valid token.');
}

async function signIn(token) {
  session.token = token;
  byId('login-status').textContent = 'Checking the token…';
  await refresh();
  if (session.token !== token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  showBoard();
}

function markFresh() {
  session.lastOk = new Date();
  byId('updated').textContent = 'Last updated ' + fmtClock(session.lastOk);
  byId('stale').hidden = true;
}

function markStale(failures) {
  const when = session.lastOk ? 'Showing data from ' + fmtClock(session.lastOk) + '.' : 'No complete data yet.';
  byId('stale').textContent = 'Refresh failed at ' + fmtClock(new Date()) + ' (' + failures.join('; ') + '). ' +
    when + ' Retrying every ' + REFRESH_MS / 1000 + ' s.';
  byId('stale').hidden = false;
}

/** One refresh of every panel; each panel keeps its last data and shows its own error when it fails. */
function refresh() {
  if (refreshing) return refreshing;
  clearTimeout(refreshTimer);
  const generation = session.generation;
  const failures = [];
  const track = (sectionId, name, load) => load().then(() => notice(sectionId, ''), (error) => {
    if (isFatal(error)) throw error;
    failures.push(name + ': ' + error.message);
    notice(sectionId, name + ' could not be refreshed: ' + error.message);
  });
  const loads = [
    track('fleet-section', 'Fleet health', loadFleet),
    track('incidents-section', 'Incidents', loadIncidents),
    track('detection-counts-section', 'Detection counts', loadDetectionCounts),
    track('alerts-section', 'Alerts', loadAlerts),
    track('trials-section', 'Trials', loadTrials),
    track('edr-section', 'EDR', loadEdr),
  ];
  if (session.detailId) loads.push(track('detail', 'Appliance', () => loadDetail(session.detailId)));
  if (session.incidentId) loads.push(track('incident', 'Incident', () => loadIncident(session.incidentId)));
  const run = Promise.all(loads).then(
    () => (failures.length ? markStale(failures) : markFresh()),
    () => undefined,
  ).then(() => {
    if (generation !== session.generation) return;
    refreshing = null;
    refreshTimer = setTimeout(refresh, REFRESH_MS);
  });
  refreshing = run;
  return run;
}

byId('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = byId('token').value.trim();
  if (!TOKEN_SHAPE.test(token)) {
    showLogin('That does not look like an API token (16–512 letters, digits or ._~+/=-).');
    return;
  }
  signIn(token);
});
byId('signout').addEventListener('click', () => signOut('', 'Signed out: the token was removed from this tab.'));
byId('refresh-now').addEventListener('click', () => refresh());
byId('detail-close').addEventListener('click', closeDetail);
byId('detail').addEventListener('keydown', (event) => {
  if (event.key === 'Escape') closeDetail();
});
byId('incident-close').addEventListener('click', closeIncident);
byId('incident').addEventListener('keydown', (event) => {
  if (event.key === 'Escape') closeIncident();
});
// Ages ("3 h 12 min") are relative to now: re-render them between refreshes is not worth it,
// but a tab woken from sleep should not show an old page as current.
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && session.token && session.lastOk && Date.now() - session.lastOk > REFRESH_MS) refresh();
});

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) {
  showBoard();
  session.token = saved;
  refresh();
} else {
  showLogin('', '');
}
`;
