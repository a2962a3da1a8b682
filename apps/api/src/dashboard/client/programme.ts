// Browser code (see core.ts for the rules): trials ending soon and EDR seat usage.

/** Trials ending within 30 days and EDR seat usage per tenant. */
export const PROGRAMME_SCRIPT = String.raw`
async function loadTrials() {
  const data = await api('GET', '/api/v1/trials?endingWithinDays=30&limit=500');
  const trials = itemsOf(data).slice().sort((a, b) => String(a.endsOn).localeCompare(String(b.endsOn)));
  const body = byId('trials').querySelector('tbody');
  if (!trials.length) {
    replace(body, h('tr', {}, h('td', { colspan: 5, class: 'empty', text: 'No trial ends in the next 30 days.' })));
    return;
  }
  replace(body, trials.map((trial) => {
    const left = daysUntil(trial.endsOn);
    return h('tr', { 'data-trial-id': trial.id, class: left <= 7 ? 'soon' : null }, [
      h('td', {}, h('time', { datetime: trial.endsOn, text: trial.endsOn })),
      h('td', { class: 'num', text: left === 0 ? 'today' : left + ' d' }),
      h('td', { lang: 'ja' }, lazyText(companyName(trial.companyId), shortId(trial.companyId))),
      h('td', { text: trial.course }),
      h('td', {}, trial.applianceId ? applianceButton(trial.applianceId, knownSerials.get(trial.applianceId)) : '—'),
    ]);
  }));
}

function numberOf(value) {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object') return value.used ?? value.count ?? value.total ?? null;
  return null;
}

function usageCell(used, limit) {
  if (used == null) return h('td', { text: '—' });
  if (!(limit > 0)) return h('td', { class: 'num', text: String(used) });
  return h('td', {}, [
    h('meter', { min: 0, max: limit, value: Math.min(used, limit), high: limit * 0.9, optimum: 0, 'aria-hidden': 'true' }),
    h('span', { class: 'num' + (used >= limit ? ' full' : ''), text: ' ' + used + ' / ' + limit }),
  ]);
}

function tenantLabel(tenant) {
  const name = tenant.companyName || tenant.name;
  if (name) return name;
  if (tenant.companyId) return lazyText(companyName(tenant.companyId), shortId(tenant.companyId));
  return tenant.vendorTenantId || shortId(tenant.id);
}

async function tenantUsage(tenant) {
  try {
    return { tenant, usage: await api('GET', '/api/v1/edr/tenants/' + encodeURIComponent(tenant.id) + '/usage') };
  } catch (error) {
    if (isFatal(error)) throw error;
    return { tenant, error };
  }
}

async function loadEdr() {
  let tenants;
  try {
    tenants = itemsOf(await api('GET', '/api/v1/edr/tenants?limit=500'));
  } catch (error) {
    // Another part of the API; until it ships (404) the desk sees a note, not a broken page.
    if (error.status === 404 || error.status === 405 || error.status === 501) {
      byId('edr').hidden = true;
      byId('edr-unavailable').hidden = false;
      return;
    }
    throw error;
  }
  byId('edr').hidden = false;
  byId('edr-unavailable').hidden = true;
  const rows = await Promise.all(tenants.map(tenantUsage));
  const body = byId('edr').querySelector('tbody');
  if (!rows.length) {
    replace(body, h('tr', {}, h('td', { colspan: 3, class: 'empty', text: 'No EDR tenants yet.' })));
    return;
  }
  replace(body, rows.map(({ tenant, usage, error }) => {
    const name = h('th', { scope: 'row', lang: 'ja' }, tenantLabel(tenant));
    if (!usage) return h('tr', {}, [name, h('td', { colspan: 2, class: 'muted', text: 'usage not available (' + error.message + ')' })]);
    const limits = usage.limits || tenant.limits || {};
    const userLimit = limits.users ?? limits.maxUsers;
    const perUser = limits.devicesPerUser ?? limits.maxDevicesPerUser;
    return h('tr', { 'data-tenant-id': tenant.id }, [
      name,
      usageCell(numberOf(usage.users), userLimit),
      usageCell(numberOf(usage.devices), usage.licences ?? (userLimit > 0 && perUser > 0 ? userLimit * perUser : null)),
    ]);
  }));
}
`;
