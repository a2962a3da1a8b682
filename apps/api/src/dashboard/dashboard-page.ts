import { createHash } from 'node:crypto';
import { CHART_SCRIPT } from './client/chart';
import { CORE_SCRIPT } from './client/core';
import { DETECTION_COUNTS_SCRIPT } from './client/detection-counts';
import { DETAIL_SCRIPT } from './client/detail';
import { INCIDENT_SCRIPT } from './client/incident';
import { INCIDENTS_SCRIPT } from './client/incidents';
import { MAIN_SCRIPT } from './client/main';
import { OVERVIEW_SCRIPT } from './client/overview';
import { PROGRAMME_SCRIPT } from './client/programme';
import { DASHBOARD_STYLE } from './dashboard-style';

// The page is built once, at import, from TypeScript modules holding its text: it then works the
// same under jest (ts sources) and from the swc build in dist/, which copies no other files.
const SCRIPT = [
  '(() => {',
  "'use strict';",
  CORE_SCRIPT,
  OVERVIEW_SCRIPT,
  PROGRAMME_SCRIPT,
  CHART_SCRIPT,
  DETAIL_SCRIPT,
  INCIDENTS_SCRIPT,
  INCIDENT_SCRIPT,
  DETECTION_COUNTS_SCRIPT,
  MAIN_SCRIPT,
  '})();',
].join('\n');

for (const [name, text] of [
  ['script', SCRIPT],
  ['style', DASHBOARD_STYLE],
] as const) {
  // A closing tag inside the inline text would end the element early.
  if (/<\/(script|style)/i.test(text)) {
    throw new Error(`The dashboard ${name} contains a closing tag`);
  }
}

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * Only the page's own inline script and style run (allowed by hash, so nothing injected can);
 * fetches go to this origin only, and DOM sinks that parse HTML are closed by Trusted Types.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `script-src ${sha256Source(SCRIPT)}`,
  `style-src ${sha256Source(DASHBOARD_STYLE)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

const BODY = `
<header class="top">
  <h1>Trialfleet support desk <span lang="ja">サポートデスク</span></h1>
  <div id="session" hidden>
    <span id="updated" role="status" aria-live="polite"></span>
    <button id="refresh-now" type="button">Refresh now</button>
    <button id="signout" type="button">Sign out</button>
  </div>
</header>
<p id="stale" class="banner warn" role="alert" hidden></p>
<main>
  <section id="login" aria-labelledby="login-title" hidden>
    <h2 id="login-title">Sign in with an API token</h2>
    <form id="login-form" method="post" autocomplete="off" novalidate>
      <label for="token">API token</label>
      <input id="token" name="token" type="password" autocomplete="off" spellcheck="false"
        autocapitalize="off" aria-describedby="login-hint login-error" required>
      <p id="login-error" class="error" role="alert" hidden></p>
      <button type="submit" class="primary">Sign in</button>
      <p id="login-status" class="muted" role="status"></p>
    </form>
    <p id="login-hint" class="muted small">The token stays in this browser tab (session storage)
      until you sign out or close the tab. Any role can read the dashboard.</p>
  </section>
  <div id="board" hidden>
    <section id="fleet-section" aria-labelledby="fleet-title">
      <h2 id="fleet-title">Fleet health</h2>
      <ul id="counts" class="counts" aria-label="Appliances by health status"></ul>
      <p id="sweep" class="muted small"></p>
      <p class="notice" role="status" hidden></p>
    </section>
    <section id="incidents-section" aria-labelledby="incidents-title">
      <h2 id="incidents-title">Open incidents <span lang="ja">対応中のインシデント</span>
        <span id="incidents-count" class="muted"></span></h2>
      <p class="notice" role="status" hidden></p>
      <p id="incidents-unavailable" class="muted" hidden></p>
      <p id="incidents-more" class="muted small" hidden>More open incidents exist than this page
        loads; narrow them with the API's filters.</p>
      <table id="incidents">
        <caption class="visually-hidden">Open incidents, critical first, then the oldest first</caption>
        <thead><tr><th scope="col">Severity</th><th scope="col">Incident and company</th>
          <th scope="col">State</th><th scope="col">Open for (since, JST)</th>
          <th scope="col">Detections</th><th scope="col">Assignee</th></tr></thead>
        <tbody></tbody>
      </table>
    </section>
    <section id="incident" tabindex="-1" aria-labelledby="incident-title" hidden>
      <header>
        <h2 id="incident-title">Incident</h2>
        <button id="incident-close" type="button" aria-label="Close incident details">Close</button>
      </header>
      <p class="notice" role="status" hidden></p>
      <p id="incident-error" class="error" role="alert" hidden></p>
      <p id="incident-result" role="status" tabindex="-1"></p>
      <div id="incident-body"></div>
    </section>
    <section id="detection-counts-section" aria-labelledby="detection-counts-title">
      <h2 id="detection-counts-title">Detections by company <span lang="ja">検知件数</span></h2>
      <p class="notice" role="status" hidden></p>
      <p id="detection-counts-unavailable" class="muted" hidden></p>
      <p id="detection-counts-period" class="muted small"></p>
      <table id="detection-counts">
        <caption class="visually-hidden">Detections by company, the most not stopped first</caption>
        <thead><tr><th scope="col">Company</th>
          <th scope="col">Virus <span lang="ja">ウイルス</span></th>
          <th scope="col">Intrusion <span lang="ja">侵入</span></th>
          <th scope="col">Web filter <span lang="ja">Webフィルタ</span></th>
          <th scope="col">App control <span lang="ja">アプリ制御</span></th>
          <th scope="col">Botnet <span lang="ja">ボットネット</span></th>
          <th scope="col">EDR</th>
          <th scope="col">All <span lang="ja">合計</span></th>
          <th scope="col">Open incidents <span lang="ja">対応中</span></th></tr></thead>
        <tbody></tbody>
      </table>
    </section>
    <div class="columns">
      <section aria-labelledby="problems-title">
        <h2 id="problems-title">Offline and degraded appliances</h2>
        <table id="problems">
          <caption class="visually-hidden">Offline first, then degraded; longest first</caption>
          <thead><tr><th scope="col">Status</th><th scope="col">Serial and company</th>
            <th scope="col">For (since, JST)</th><th scope="col">Last seen</th></tr></thead>
          <tbody></tbody>
        </table>
      </section>
      <section id="alerts-section" aria-labelledby="alerts-title">
        <h2 id="alerts-title">Open alerts <span id="alerts-count" class="muted"></span></h2>
        <p class="notice" role="status" hidden></p>
        <table id="alerts">
          <caption class="visually-hidden">Unresolved alerts, open ones first by severity</caption>
          <thead><tr><th scope="col">Severity</th><th scope="col">Kind and subject</th>
            <th scope="col">Message</th><th scope="col">Open for</th><th scope="col">Action</th></tr>
          </thead>
          <tbody></tbody>
        </table>
      </section>
    </div>
    <section id="detail" tabindex="-1" aria-labelledby="detail-title" hidden>
      <header>
        <h2 id="detail-title">Appliance</h2>
        <button id="detail-close" type="button" aria-label="Close appliance details">Close</button>
      </header>
      <p class="notice" role="status" hidden></p>
      <div id="detail-body"></div>
    </section>
    <div class="columns even">
      <section id="trials-section" aria-labelledby="trials-title">
        <h2 id="trials-title">Trials ending in the next 30 days</h2>
        <p class="notice" role="status" hidden></p>
        <table id="trials">
          <thead><tr><th scope="col">Ends on</th><th scope="col">Left</th><th scope="col">Company</th>
            <th scope="col">Course</th><th scope="col">Appliance</th></tr></thead>
          <tbody></tbody>
        </table>
      </section>
      <section id="edr-section" aria-labelledby="edr-title">
        <h2 id="edr-title">EDR seat usage</h2>
        <p class="notice" role="status" hidden></p>
        <p id="edr-unavailable" class="muted" hidden>EDR not available: this API does not serve EDR
          tenants yet.</p>
        <table id="edr">
          <thead><tr><th scope="col">Tenant</th><th scope="col">Users (of limit)</th>
            <th scope="col">Devices (of limit)</th></tr></thead>
          <tbody></tbody>
        </table>
      </section>
    </div>
  </div>
</main>`;

/** GET /: the support desk's dashboard, one self-contained page. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Trialfleet support desk</title>
<link rel="icon" href="data:,">
<style>${DASHBOARD_STYLE}</style>
</head>
<body>${BODY}
<script>${SCRIPT}</script>
</body>
</html>
`;
