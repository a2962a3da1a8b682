// The dashboard's stylesheet, inlined into the page and allowed by its hash in the CSP.
// Sized for the desk's 1280x800 screens; colours pass WCAG AA against their backgrounds and
// status is never shown by colour alone (every badge carries its word).

export const DASHBOARD_STYLE = String.raw`
:root {
  --fg: #1b1f24; --muted: #57606a; --bg: #f6f8fa; --panel: #ffffff; --line: #d0d7de;
  --accent: #0a58ca; --healthy: #1a7f37; --degraded: #9a6700; --offline: #cf222e; --unknown: #57606a;
  font-family: system-ui, 'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic UI', Meiryo, sans-serif;
  font-size: 15px; line-height: 1.45; color: var(--fg); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
[hidden] { display: none !important; }
header.top {
  display: flex; align-items: center; justify-content: space-between; gap: 1rem;
  padding: 0.6rem 1.25rem; background: #0d1117; color: #f0f6fc;
}
header.top h1 { font-size: 1.15rem; margin: 0; }
header.top h1 span { font-weight: normal; color: #c9d1d9; margin-left: 0.5rem; }
#session { display: flex; align-items: center; gap: 0.6rem; }
#updated { color: #c9d1d9; font-size: 0.9rem; }
main { padding: 1rem 1.25rem 2rem; max-width: 1600px; margin: 0 auto; }
section { overflow-x: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; margin-bottom: 1rem; }
section:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
h2 { font-size: 1.05rem; margin: 0 0 0.5rem; }
h3 { font-size: 0.95rem; margin: 0.75rem 0 0.4rem; }
.columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.4fr); gap: 1rem; align-items: start; margin-bottom: 1rem; }
.columns > section { margin-bottom: 0; }
.columns.even { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
button {
  font: inherit; padding: 0.3rem 0.75rem; border-radius: 6px; border: 1px solid var(--line);
  background: #f6f8fa; color: var(--fg); cursor: pointer;
}
button:hover { background: #eaeef2; }
button:focus-visible, input:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
button:disabled { cursor: progress; opacity: 0.7; }
button.primary, button.ack { background: var(--accent); border-color: var(--accent); color: #fff; }
button.primary:hover, button.ack:hover { background: #084298; }
header.top button { background: #21262d; border-color: #30363d; color: #f0f6fc; }
button.link { border: 0; background: none; padding: 0; color: var(--accent); text-decoration: underline; font-family: ui-monospace, monospace; }
#login { max-width: 30rem; margin: 4rem auto; padding: 1.5rem; }
#login label { display: block; font-weight: 600; margin-bottom: 0.3rem; }
#login input { width: 100%; font: inherit; padding: 0.45rem 0.6rem; border: 1px solid var(--line); border-radius: 6px; margin-bottom: 0.75rem; }
#login input[aria-invalid='true'] { border-color: var(--offline); }
.error { color: var(--offline); font-weight: 600; }
.banner { margin: 0; padding: 0.6rem 1.25rem; font-weight: 600; }
.banner.warn { background: #fff8c5; border-bottom: 1px solid #d4a72c; color: #3b2300; }
.notice { color: var(--offline); margin: 0.3rem 0; }
.muted { color: var(--muted); }
.small { font-size: 0.85em; }
.counts { display: flex; gap: 0.75rem; list-style: none; padding: 0; margin: 0 0 0.4rem; }
.count { flex: 1; border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; padding: 0.4rem 0.8rem; }
.count-value { display: block; font-size: 2rem; font-weight: 700; line-height: 1.1; }
.count-label { text-transform: capitalize; color: var(--muted); }
.count-healthy { border-left-color: var(--healthy); }
.count-degraded { border-left-color: var(--degraded); }
.count-offline { border-left-color: var(--offline); }
.count-offline .count-value { color: var(--offline); }
.count-unknown { border-left-color: var(--unknown); }
.count-total { border-left-color: #0d1117; }
table { width: 100%; border-collapse: collapse; font-size: 0.92rem; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); background: #f6f8fa; }
tbody th { font-weight: normal; }
td.num, span.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
td.empty { color: var(--muted); font-style: italic; }
tr.row-offline { background: #ffebe9; }
tr.row-degraded { background: #fff8c5; }
tr.soon td:first-child { font-weight: 700; }
tr.alert-acknowledged { color: var(--muted); }
time { white-space: nowrap; }
time .small { display: block; }
.badge, .sev { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 1rem; font-size: 0.8rem; font-weight: 600; color: #fff; text-transform: capitalize; }
.badge-healthy { background: var(--healthy); }
.badge-degraded { background: var(--degraded); }
.badge-offline { background: var(--offline); }
.badge-unknown { background: var(--unknown); }
.sev-critical { background: var(--offline); }
.sev-warning { background: var(--degraded); }
.sev-info { background: var(--unknown); }
td.message { min-width: 12rem; }
.kind { font-family: ui-monospace, monospace; font-size: 0.85rem; }
.full { color: var(--offline); font-weight: 700; }
meter { width: 8rem; vertical-align: middle; }
#detail header { display: flex; justify-content: space-between; align-items: center; }
#detail h2 { margin: 0; }
.detail-grid { display: grid; grid-template-columns: 19rem minmax(0, 1fr); gap: 1.25rem; }
.facts { display: grid; grid-template-columns: auto 1fr; gap: 0.2rem 0.75rem; margin: 0.75rem 0 0; }
.facts dt { color: var(--muted); white-space: nowrap; }
.facts dd { margin: 0; }
.chart { width: 100%; height: auto; display: block; background: #fff; }
.chart .grid line { stroke: #d8dee4; stroke-width: 1; }
.chart .axis { font-size: 12px; fill: var(--muted); }
.chart .line { fill: none; stroke-width: 2; }
.chart .point { stroke: #fff; stroke-width: 1; }
.s-cpu .line { stroke: #0a58ca; } .s-cpu .point { fill: #0a58ca; }
.s-memory .line { stroke: #8250df; stroke-dasharray: 6 3; } .s-memory .point { fill: #8250df; }
.s-sessions .line { stroke: #1b7c83; } .s-sessions .point { fill: #1b7c83; }
.legend .line { stroke-width: 3; }
.offline-band { fill: #cf222e; fill-opacity: 0.35; }
.offline-mark { stroke: #cf222e; stroke-width: 2.5; fill: none; }
details summary { cursor: pointer; color: var(--accent); margin-top: 0.4rem; }
details table { margin-top: 0.4rem; }
code { font-family: ui-monospace, monospace; font-size: 0.85rem; }
.readback { margin-top: 0.75rem; }
.readback p { margin: 0.4rem 0; }
.readback .drift { color: var(--degraded); font-weight: 700; }
pre.diff { font-family: ui-monospace, monospace; font-size: 0.85rem; background: #fff; border: 1px solid #d8dee4; padding: 0.5rem; overflow-x: auto; }
#incident header { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
#incident h2 { margin: 0; }
#incident-result:empty { display: none; }
#incident-result { font-weight: 600; color: var(--healthy); }
.sev-high { background: #bc4c00; }
.sev-medium { background: var(--degraded); }
.sev-low { background: var(--unknown); }
tr.incident-new th button.title { font-weight: 700; }
button.link.title { font-family: inherit; text-align: left; }
/* Titles and keys are signatures without spaces: they break anywhere rather than widen the page. */
#incident h2, button.link.title, .facts dd, code.signature { overflow-wrap: anywhere; min-width: 0; }
#incidents tbody th { min-width: 14rem; }
.incident-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.3fr); gap: 1.25rem; }
form.action fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 0.6rem; padding: 0.5rem 0.75rem; }
form.action legend { font-weight: 600; padding: 0 0.3rem; }
.field { display: flex; flex-direction: column; gap: 0.15rem; margin-bottom: 0.45rem; }
.field label { font-weight: 600; font-size: 0.9rem; }
.field-row { display: flex; flex-wrap: wrap; gap: 0 0.75rem; }
.field input, .field select, .field textarea { font: inherit; padding: 0.3rem 0.45rem; border: 1px solid var(--line); border-radius: 6px; max-width: 100%; }
select:focus-visible, textarea:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
#incident-actions > button { margin: 0 0.5rem 0.6rem 0; }
.visit-outcome p { margin: 0.3rem 0; }
.not-stopped { color: var(--offline); font-weight: 700; }
ol.activity { list-style: none; padding: 0; margin: 0; }
ol.activity li { border-left: 3px solid var(--line); padding: 0.2rem 0 0.4rem 0.6rem; margin-bottom: 0.3rem; }
.note-text { margin: 0.2rem 0; white-space: pre-wrap; }
#detection-counts td.num { text-align: right; }
#detection-counts span.not-stopped { display: block; }
#detection-counts .open-incidents { color: var(--offline); font-weight: 700; }
#detection-counts td.has-not-stopped { background: #fff5f5; }
/* Phones: one column, and controls large enough to touch. */
@media (max-width: 720px) {
  main { padding: 0.5rem; }
  header.top { flex-wrap: wrap; padding: 0.5rem; }
  .columns, .columns.even, .detail-grid, .incident-grid { grid-template-columns: minmax(0, 1fr); }
  .counts { flex-wrap: wrap; }
  button, .field input, .field select, .field textarea { min-height: 2.5rem; }
  /* Nine columns do not fit a phone: each company becomes a card of labelled counts. */
  #detection-counts thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  #detection-counts tr, #detection-counts th.company { display: block; }
  #detection-counts tr { border-bottom: 2px solid var(--line); padding: 0.3rem 0; }
  #detection-counts td { display: flex; justify-content: space-between; gap: 0.75rem; border: 0; padding: 0.15rem 0.5rem; }
  #detection-counts td::before { content: attr(data-label); color: var(--muted); }
  #detection-counts td.empty::before { content: none; }
  #detection-counts span.not-stopped { display: inline; }
}
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;
