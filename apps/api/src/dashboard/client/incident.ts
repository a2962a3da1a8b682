// Browser code (see core.ts for the rules): one incident, its detections, its log and the desk's actions.

/** openIncident(id): the incident's facts, detections and activity, and the forms that act on it. */
export const INCIDENT_SCRIPT = String.raw`
let incidentOpener = null;
const DETECTIONS_SHOWN = 200;
const CATEGORY_LABELS = {
  virus: ['Virus', 'ウイルス'], intrusion: ['Intrusion (IPS)', '不正侵入'], web_filter: ['Web filtering', 'Webフィルタ'],
  app_control: ['Application control', 'アプリケーション制御'], botnet: ['Botnet', 'ボットネット'],
  email_filter: ['Email filtering', 'メールフィルタ'], edr_threat: ['EDR threat', 'EDR脅威'],
};
const ACTIVITY_LABELS = {
  opened: ['Opened', '発生'], acknowledged: ['Acknowledged', '受付'], assigned: ['Assigned', '担当変更'],
  investigating: ['Investigation started', '調査開始'], resolved: ['Resolved', '解決'], note: ['Note', 'メモ'],
  remote_removal: ['Remote removal requested', '遠隔駆除の依頼'], visit_booked: ['Visit booked', '訪問予約'],
};
const RESOLUTION_LABELS = {
  remote_removal: ['Remote removal', '遠隔駆除'], on_site: ['On site', '現地対応'],
  false_positive: ['False positive', '誤検知'], customer_informed: ['Customer informed', 'お客様へ連絡済'],
};
const MITIGATION_LABELS = {
  kill: ['Kill the process', 'プロセス停止'], quarantine: ['Quarantine', '隔離'],
  remediate: ['Remediate', '修復'], 'rollback-remediation': ['Roll back (remediation)', 'ロールバック'],
};
const VISIT_REFUSALS = {
  not_a_business_day: 'not a Tokyo business day', before_hours: 'before 9:00', after_hours: 'at or after 17:00',
  in_the_past: 'in the past', too_far_ahead: 'too far ahead',
};

function pairText(pair, fallback) {
  return pair ? pair[0] + '（' + pair[1] + '）' : fallback;
}

/** The API's refusal in full: its message, its code and every field it named. */
function describeError(error) {
  const problems = Array.isArray(error.details)
    ? error.details.map((d) => (d && d.field ? d.field + ': ' + (d.problems || []).join(', ') : null)).filter(Boolean)
    : [];
  return error.message + (error.status ? ' (' + error.status + ' ' + error.code + ')' : '') +
    (problems.length ? ' — ' + problems.join('; ') : '');
}

function incidentPath(id, action) {
  return '/api/v1/incidents/' + encodeURIComponent(id) + (action ? '/' + action : '');
}

function incidentError(text) {
  const el = byId('incident-error');
  el.textContent = text || '';
  el.hidden = !text;
}

function incidentResult(text) {
  byId('incident-result').textContent = text || '';
}

/** Empties the view, so the next load draws it whole (see loadIncident). */
function clearIncidentBody() {
  const body = byId('incident-body');
  body.removeAttribute('data-incident-id');
  replace(body, []);
}

function openIncident(id, opener) {
  session.incidentId = id;
  incidentOpener = opener || null;
  const section = byId('incident');
  section.hidden = false;
  byId('incident-title').textContent = 'Incident ' + shortId(id);
  incidentError('');
  incidentResult('');
  clearIncidentBody();
  append(byId('incident-body'), h('p', { class: 'muted', text: 'Loading…' }));
  section.scrollIntoView({ block: 'start' });
  section.focus({ preventScroll: true });
  loadIncident(id).catch((error) => {
    if (!isFatal(error)) notice('incident', 'Could not load the incident: ' + describeError(error));
  });
}

function closeIncident() {
  const id = session.incidentId;
  session.incidentId = null;
  byId('incident').hidden = true;
  clearIncidentBody();
  incidentError('');
  incidentResult('');
  // The queue redraws on every refresh: its opener may be gone, but the row's new button is not.
  const back = incidentOpener && incidentOpener.isConnected ? incidentOpener : id && incidentButton(id);
  if (back) back.focus();
  incidentOpener = null;
}

/**
 * Draws the incident. The forms are rebuilt only when what they offer changes (the state, the EDR
 * threats), so a refresh never wipes a note being typed.
 */
async function loadIncident(id) {
  const incident = await api('GET', incidentPath(id));
  if (session.incidentId !== id) return;
  notice('incident', '');
  byId('incident-title').textContent = incident.title;
  const body = byId('incident-body');
  if (body.getAttribute('data-incident-id') !== id) {
    body.setAttribute('data-incident-id', id);
    replace(body, [
      h('div', { class: 'incident-grid' }, [
        h('div', { id: 'incident-facts' }),
        h('div', { id: 'incident-actions' }),
      ]),
      h('h3', { id: 'incident-detections-title', text: 'Detections (JST)' }),
      h('div', { id: 'incident-detections' }),
      h('h3', { id: 'incident-activity-title', text: 'Notes and activity, newest first' }),
      h('ol', { id: 'incident-activity', class: 'activity', 'aria-labelledby': 'incident-activity-title' }),
    ]);
  }
  replace(byId('incident-facts'), incidentFacts(incident));
  replace(byId('incident-detections'), detectionTable(incident.detections || [], incident.detectionCount));
  replace(byId('incident-activity'), (incident.activities || []).slice().reverse().map(activityItem));
  const threats = (incident.detections || []).filter((d) => d.source === 'edr');
  const key = incident.state + '|' + threats.map((d) => d.detectionId).join(',');
  const actions = byId('incident-actions');
  if (actions.getAttribute('data-key') !== key) {
    actions.setAttribute('data-key', key);
    replace(actions, incidentActions(incident, threats));
  }
}

function incidentFacts(incident) {
  return h('dl', { class: 'facts' }, [
    fact('Severity', incidentSeverityBadge(incident.severity)),
    fact('State', incidentStateLabel(incident.state)),
    fact('Company', h('span', { lang: 'ja' }, lazyText(companyName(incident.companyId), shortId(incident.companyId)))),
    fact('Opened', agoCell(incident.openedAt)),
    fact('First detected', agoCell(incident.firstDetectedAt)),
    fact('Last detected', agoCell(incident.lastDetectedAt)),
    fact('Detections', fmtNumber(incident.detectionCount)),
    fact('Assignee', incident.assignee),
    fact('Time to acknowledge', incident.timeToAcknowledgeSeconds == null ? null : fmtDuration(incident.timeToAcknowledgeSeconds * 1000)),
    fact('Time to resolve', incident.timeToResolveSeconds == null ? null : fmtDuration(incident.timeToResolveSeconds * 1000)),
    fact('Resolution', incident.resolution ? bilingual(RESOLUTION_LABELS[incident.resolution], incident.resolution) : null),
    fact('Correlation', h('code', { text: incident.correlationKey })),
  ].flat());
}

function stoppedLabel(stopped) {
  return h('span', { class: stopped ? 'stopped' : 'not-stopped' }, bilingual(stopped ? ['Stopped', '遮断済'] : ['Not stopped', '未遮断']));
}

function detectionTable(detections, total) {
  if (!detections.length) return h('p', { class: 'muted', text: 'No detection is linked to this incident.' });
  const newest = detections.slice().reverse().slice(0, DETECTIONS_SHOWN);
  return h('div', {}, [
    newest.length < total ? h('p', { class: 'muted small', text: 'The ' + newest.length + ' newest of ' + total + ' detections.' }) : null,
    h('table', { class: 'detections', 'aria-labelledby': 'incident-detections-title' }, [
      h('caption', { class: 'visually-hidden', text: 'Newest first' }),
      h('thead', {}, h('tr', {}, ['Time (JST)', 'Category', 'Signature', 'Severity', 'Stopped', 'Summary']
        .map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, newest.map((d) => h('tr', { 'data-detection-id': d.detectionId }, [
        h('td', {}, h('time', { datetime: d.occurredAt, text: fmtInstant(d.occurredAt) })),
        h('td', {}, [bilingual(CATEGORY_LABELS[d.category], d.category),
          d.vendorCategory ? h('div', { class: 'muted small', text: d.vendorCategory }) : null]),
        h('td', {}, h('code', { class: 'signature', text: d.signature })),
        h('td', {}, incidentSeverityBadge(d.severity)),
        h('td', {}, stoppedLabel(d.stopped)),
        h('td', { class: 'message', text: d.summary }),
      ]))),
    ]),
  ]);
}

function activityDetails(activity) {
  const d = activity.details || {};
  const parts = [];
  if (d.resolution) parts.push('resolution: ' + pairText(RESOLUTION_LABELS[d.resolution], d.resolution));
  if ('assignee' in d) parts.push('assignee: ' + (d.assignee || 'nobody'));
  if (d.action) parts.push('action: ' + pairText(MITIGATION_LABELS[d.action], d.action) + (d.threatId ? ' on threat ' + d.threatId : ''));
  if (d.jobId) parts.push('job ' + shortId(d.jobId));
  if (d.scheduledAt) parts.push('visit at ' + fmtInstant(d.scheduledAt) + ' JST');
  if (d.workOrderId) parts.push('work order ' + shortId(d.workOrderId));
  return parts.length ? h('div', { class: 'muted small', text: parts.join(' · ') }) : null;
}

function activityItem(activity) {
  return h('li', { 'data-activity-kind': activity.kind }, [
    h('div', {}, [
      h('time', { datetime: activity.at, text: fmtInstant(activity.at) + ' JST' }), ' ',
      h('strong', {}, bilingual(ACTIVITY_LABELS[activity.kind], activity.kind)),
      h('span', { class: 'muted', text: ' by ' + activity.actorName + ' (' + activity.actorRole + ')' }),
    ]),
    activity.text ? h('p', { class: 'note-text', text: activity.text }) : null,
    activityDetails(activity),
  ]);
}

/** Runs one action, shows its result or the API's refusal, and redraws the incident and the queue. */
async function incidentAction(id, button, label, run) {
  // Disabling a focused button drops its focus; a keyboard user gets it back when it is done.
  const hadFocus = document.activeElement === button;
  button.disabled = true;
  incidentError('');
  incidentResult('');
  try {
    const done = await run();
    incidentResult(done);
  } catch (error) {
    if (isFatal(error)) return;
    incidentError(label + ' failed: ' + describeError(error));
    button.disabled = false;
    if (hadFocus) button.focus();
    return;
  }
  try {
    await Promise.all([loadIncident(id), loadIncidents()]);
    notice('incidents-section', '');
  } catch (error) {
    if (isFatal(error)) return;
    notice('incident', 'Done, but the page could not be redrawn: ' + describeError(error));
  }
  if (button.isConnected) {
    button.disabled = false;
    if (hadFocus) button.focus();
  } else {
    // The button went with the state it belonged to; the result is where the focus goes on.
    byId('incident-result').focus();
  }
}

let fieldSequence = 0;

/** A labelled control; id is generated so several forms never clash. */
function field(label, control, hint) {
  fieldSequence += 1;
  const id = 'incident-field-' + fieldSequence;
  control.id = id;
  const hintEl = hint ? h('span', { id: id + '-hint', class: 'muted small', text: hint }) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, [h('label', { for: id, text: label }), control, hintEl]);
}

function choice(options, placeholder) {
  return h('select', {}, [
    placeholder ? h('option', { value: '', text: placeholder }) : null,
    ...options.map((o) => h('option', { value: o.value, text: o.label })),
  ]);
}

function actionForm(title, children, onsubmit) {
  return h('form', { class: 'action', novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    onsubmit(event.submitter || event.currentTarget.querySelector('button[type=submit]'));
  } }, h('fieldset', {}, [h('legend', { text: title })].concat(children)));
}

function incidentActions(incident, threats) {
  const id = incident.id;
  const open = incident.state !== 'resolved';
  const forms = [h('h3', { text: 'Actions' })];
  if (incident.state === 'new') {
    forms.push(h('button', { type: 'button', class: 'primary', onclick: (event) =>
      incidentAction(id, event.currentTarget, 'Acknowledge', async () => {
        await api('POST', incidentPath(id, 'acknowledge'));
        return 'Acknowledged.';
      }) }, 'Acknowledge incident'));
  }
  if (incident.state === 'acknowledged') {
    forms.push(h('button', { type: 'button', onclick: (event) =>
      incidentAction(id, event.currentTarget, 'Investigate', async () => {
        await api('POST', incidentPath(id, 'investigate'), {});
        return 'Investigation started.';
      }) }, 'Start investigating'));
  }
  if (incident.state === 'acknowledged' || incident.state === 'investigating') forms.push(resolveForm(id));
  if (open) forms.push(assignForm(id, incident.assignee));
  forms.push(noteForm(id));
  if (open && threats.length) forms.push(removalForm(id, threats));
  if (open) forms.push(visitForm(incident));
  if (!open) forms.push(h('p', { class: 'muted small', text: 'Resolved: notes can still be added.' }));
  return forms;
}

function resolveForm(id) {
  const resolution = choice(Object.keys(RESOLUTION_LABELS).map((value) =>
    ({ value, label: pairText(RESOLUTION_LABELS[value], value) })), 'Choose…');
  const note = h('textarea', { rows: 2, maxlength: 4000 });
  return actionForm('Resolve 解決', [field('Resolution', resolution), field('Resolution note (optional)', note),
    h('button', { type: 'submit', class: 'primary' }, 'Resolve incident')], (button) => {
    if (!resolution.value) {
      incidentError('Resolve failed: choose a resolution.');
      resolution.focus();
      return;
    }
    incidentAction(id, button, 'Resolve', async () => {
      const body = { resolution: resolution.value };
      if (note.value.trim()) body.note = note.value.trim();
      await api('POST', incidentPath(id, 'resolve'), body);
      return 'Resolved as ' + pairText(RESOLUTION_LABELS[resolution.value], resolution.value) + '.';
    });
  });
}

function assignForm(id, assignee) {
  const input = h('input', { type: 'text', maxlength: 200, autocomplete: 'off', value: assignee || '' });
  return actionForm('Assignee 担当', [field('Assignee', input, 'Empty: nobody.'),
    h('button', { type: 'submit' }, 'Assign')], (button) =>
    incidentAction(id, button, 'Assign', async () => {
      const name = input.value.trim() || null;
      await api('POST', incidentPath(id, 'assign'), { assignee: name });
      return name ? 'Assigned to ' + name + '.' : 'Unassigned.';
    }));
}

function noteForm(id) {
  const text = h('textarea', { rows: 3, maxlength: 4000 });
  return actionForm('Note メモ', [field('Note', text), h('button', { type: 'submit' }, 'Add note')], (button) => {
    if (!text.value.trim()) {
      incidentError('Add note failed: the note is empty.');
      text.focus();
      return;
    }
    incidentAction(id, button, 'Add note', async () => {
      await api('POST', incidentPath(id, 'notes'), { text: text.value.trim() });
      text.value = '';
      return 'Note added.';
    });
  });
}

function removalForm(id, threats) {
  const threat = choice(threats.map((d) => ({ value: d.detectionId, label: d.signature + ' — ' + d.detectionId })));
  const action = choice(Object.keys(MITIGATION_LABELS).map((value) =>
    ({ value, label: pairText(MITIGATION_LABELS[value], value) })), 'Choose…');
  const note = h('textarea', { rows: 2, maxlength: 4000 });
  return actionForm('Remote removal 遠隔駆除 (EDR)', [field('EDR threat', threat), field('Mitigation action', action),
    field('Removal note (optional)', note), h('button', { type: 'submit' }, 'Send remote removal')], (button) => {
    if (!action.value) {
      incidentError('Remote removal failed: choose a mitigation action.');
      action.focus();
      return;
    }
    incidentAction(id, button, 'Remote removal', async () => {
      const body = { threatId: threat.value, action: action.value };
      if (note.value.trim()) body.note = note.value.trim();
      const queued = await api('POST', incidentPath(id, 'remote-removal'), body);
      return 'Remote removal (' + action.value + ') queued for the EDR vendor: job ' + shortId(queued && queued.jobId) + '.';
    });
  });
}

function visitForm(incident) {
  const id = incident.id;
  const site = choice([], null);
  const date = h('input', { type: 'date' });
  const time = h('input', { type: 'time', step: 60 });
  const technician = h('input', { type: 'text', maxlength: 100, autocomplete: 'off' });
  const notes = h('textarea', { rows: 2, maxlength: 2000 });
  const outcome = h('div', { class: 'visit-outcome', role: 'status' });
  const submit = h('button', { type: 'submit', disabled: true }, 'Book visit');
  const sitesStatus = h('p', { class: 'muted small', text: 'Loading the sites…' });
  api('GET', '/api/v1/companies/' + encodeURIComponent(incident.companyId) + '/sites?limit=500').then((data) => {
    const sites = itemsOf(data);
    // Left unnamed, the API sends the visit to the site of the company's appliance.
    replace(site, [sites.length > 1 ? h('option', { value: '', text: "The appliance's site" }) : null]
      .concat(sites.map((s) => h('option', { value: s.id, text: s.name + ' — ' + s.address }))));
    sitesStatus.textContent = sites.length ? '' : 'The company has no site yet: a visit needs one.';
    submit.disabled = !sites.length;
  }, (error) => {
    if (!isFatal(error)) sitesStatus.textContent = 'The sites could not be loaded: ' + describeError(error);
  });

  // slot: the API's own terms, a Tokyo date and HH:MM.
  function book(button, slot) {
    replace(outcome, []);
    const body = { date: slot.date, startsAt: slot.startsAt };
    if (site.value) body.siteId = site.value;
    if (technician.value.trim()) body.technician = technician.value.trim();
    if (notes.value.trim()) body.notes = notes.value.trim();
    incidentAction(id, button, 'Book visit', async () => {
      try {
        const order = await api('POST', incidentPath(id, 'visits'), body);
        const booked = 'Visit booked for ' + fmtInstant(order.scheduledAt) + ' JST (work order ' + shortId(order.id) + ').';
        replace(outcome, h('p', { text: booked }));
        return booked;
      } catch (error) {
        const details = error.details || {};
        if (error.status === 422 && details.nextSlot) offerSlot(error, details);
        else if (error.status === 422 && details.latest) {
          replace(outcome, h('p', { class: 'error', text: 'Refused: ' + error.message + ' (the latest start is ' + fmtInstant(details.latest) + ' JST).' }));
        }
        throw error;
      }
    });
  }

  // The API refused the time and named the next valid one, in the body's terms: offered as one click.
  function offerSlot(error, details) {
    const slot = details.nextSlot;
    const when = fmtInstant(slot.at) + ' JST';
    replace(outcome, [
      h('p', { class: 'error', text: 'Refused: ' + error.message + (VISIT_REFUSALS[details.reason] ? ' (the time asked is ' + VISIT_REFUSALS[details.reason] + ').' : '.') }),
      h('button', { type: 'button', class: 'primary', onclick: (event) => {
        date.value = slot.date;
        time.value = slot.startsAt;
        book(event.currentTarget, { date: slot.date, startsAt: slot.startsAt });
      } }, 'Book the next valid slot: ' + when),
    ]);
  }

  return h('div', {}, [actionForm('On-site visit 訪問 (JST)', [
    field('Site', site), sitesStatus,
    h('div', { class: 'field-row' }, [field('Visit date', date), field('Start time (JST)', time, 'Business days, 9:00–17:00.')]),
    field('Technician (optional)', technician), field('Visit notes (optional)', notes), submit,
  ], (button) => {
    if (!date.value || !time.value) {
      incidentError('Book visit failed: choose a date and a start time.');
      (date.value ? time : date).focus();
      return;
    }
    book(button, { date: date.value, startsAt: time.value.slice(0, 5) });
  }), outcome]);
}
`;
