// Browser code of the support-desk dashboard, shipped as text inside the page (no bundler, no
// CDN: the desk's machines have no internet). It is plain ES2020 run in one IIFE with the other
// client modules, so it must contain no backtick and no dollar-brace: it lives in String.raw.
// DOM is built with createElement/textContent only (the CSP requires Trusted Types for sinks).

/** Shared state, DOM helpers, Tokyo-time formatting and the API client. */
export const CORE_SCRIPT = String.raw`
const TOKEN_KEY = 'trialfleet.dashboard.token';
const REFRESH_MS = 15000;
const REQUEST_TIMEOUT_MS = 10000;
const TZ = 'Asia/Tokyo';
const session = { token: null, generation: 0, detailId: null, incidentId: null, lastOk: null };
const lookups = new Map();

function byId(id) {
  return document.getElementById(id);
}

function setProps(el, props) {
  Object.keys(props || {}).forEach((key) => {
    const value = props[key];
    if (value == null || value === false) return;
    if (key === 'text') el.textContent = String(value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  });
}

function append(el, children) {
  if (children == null) return el;
  (Array.isArray(children) ? children : [children]).forEach((child) => {
    if (child == null || child === false) return;
    el.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  });
  return el;
}

function h(tag, props, children) {
  const el = document.createElement(tag);
  setProps(el, props);
  return append(el, children);
}

function svg(tag, props, children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setProps(el, props);
  return append(el, children);
}

function replace(el, children) {
  el.replaceChildren();
  return append(el, children);
}

function notice(sectionId, text) {
  const el = byId(sectionId).querySelector('.notice');
  el.textContent = text || '';
  el.hidden = !text;
}

const instantFormat = new Intl.DateTimeFormat('ja-JP', {
  timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', hour12: false,
});
const shortFormat = new Intl.DateTimeFormat('ja-JP', {
  timeZone: TZ, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
});
const clockFormat = new Intl.DateTimeFormat('ja-JP', {
  timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});
const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TZ });

function parseInstant(iso) {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) ? null : ms;
}

function fmtInstant(iso) {
  const ms = parseInstant(iso);
  return ms == null ? '—' : instantFormat.format(ms);
}

function fmtShort(ms) {
  return shortFormat.format(ms);
}

function fmtClock(date) {
  return clockFormat.format(date) + ' JST';
}

function tokyoToday() {
  return dayFormat.format(new Date());
}

function daysUntil(isoDate) {
  return Math.round((Date.parse(isoDate) - Date.parse(tokyoToday())) / 86400000);
}

function fmtDuration(ms) {
  if (!(ms >= 0)) return '—';
  const minutes = Math.floor(ms / 60000);
  if (minutes < 1) return 'under 1 min';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return days + ' d ' + hours + ' h';
  if (hours > 0) return hours + ' h ' + (minutes % 60) + ' min';
  return minutes + ' min';
}

/** A <time> showing how long ago an instant was; the Tokyo time is below it (or in its title). */
function agoCell(iso, compact) {
  const ms = parseInstant(iso);
  if (ms == null) return '—';
  return h('time', { datetime: iso, title: fmtInstant(iso) + ' JST' }, [
    fmtDuration(Date.now() - ms),
    compact ? null : h('span', { class: 'muted small', text: fmtShort(ms) }),
  ]);
}

function fmtNumber(value, unit) {
  if (value == null || Number.isNaN(Number(value))) return '—';
  return Number(value).toLocaleString('ja-JP', { maximumFractionDigits: 1 }) + (unit || '');
}

function shortId(id) {
  return String(id || '').slice(0, 8);
}

function statusBadge(status) {
  const known = ['healthy', 'degraded', 'offline', 'unknown'].includes(status) ? status : 'unknown';
  return h('span', { class: 'badge badge-' + known, text: status || 'unknown' });
}

class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

function isFatal(error) {
  return error instanceof ApiError && (error.status === 401 || error.code === 'SIGNED_OUT');
}

async function api(method, path, body) {
  const generation = session.generation;
  const headers = { Accept: 'application/json', Authorization: 'Bearer ' + session.token };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  let text;
  try {
    response = await fetch(path, {
      method, headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    throw new ApiError(0, 'NETWORK', 'the API could not be reached (' + error.name + ')');
  }
  if (generation !== session.generation) throw new ApiError(0, 'SIGNED_OUT', 'signed out');
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (_) {
    data = null;
  }
  if (response.status === 401) {
    onUnauthorized((data && data.message) || 'unauthenticated');
    throw new ApiError(401, 'UNAUTHENTICATED', 'the token was rejected');
  }
  if (!response.ok) {
    const code = (data && data.code) || 'HTTP_' + response.status;
    throw new ApiError(response.status, code, (data && data.message) || response.statusText || code, data && data.details);
  }
  return data;
}

function itemsOf(data) {
  if (Array.isArray(data)) return data;
  return (data && Array.isArray(data.items) && data.items) || [];
}

/** GETs that rarely change (company names, serials), cached for the session. */
function lookup(path) {
  if (!lookups.has(path)) {
    lookups.set(path, api('GET', path).catch((error) => {
      lookups.delete(path);
      throw error;
    }));
  }
  return lookups.get(path);
}

/** A span filled in once a lookup resolves; the fallback stays if it fails. */
function lazyText(promise, fallback) {
  const el = h('span', { text: fallback });
  promise.then((text) => {
    if (text) el.textContent = text;
  }, () => undefined);
  return el;
}

function companyName(id) {
  if (!id) return Promise.resolve(null);
  return lookup('/api/v1/companies/' + encodeURIComponent(id)).then((company) => company && company.name);
}

function applianceSerial(id) {
  if (!id) return Promise.resolve(null);
  return lookup('/api/v1/appliances/' + encodeURIComponent(id)).then((appliance) => appliance && appliance.serial);
}

/** A button that opens an appliance's detail; keyboard users reach it with Tab. */
function applianceButton(id, serial) {
  const label = serial ? null : lazyText(applianceSerial(id), shortId(id));
  return h('button', {
    type: 'button', class: 'link', 'data-appliance-id': id,
    'aria-label': 'Show appliance ' + (serial || shortId(id)) + ' details',
    onclick: (event) => openAppliance(id, event.currentTarget),
  }, serial || label);
}
`;
