import type { EdrMonthFigures } from '@app/detections';
import type { DurationFigures, IncidentMonthFigures } from '@app/incidents';
import {
  type EdrMonth,
  type MonthlyReportData,
  type SampledFigure,
  type UtmEventsMonth,
  type UtmMonth,
} from '../monthly-report-data';
import { dailyChart } from './monthly-report-chart';
import {
  CATEGORY_LABELS,
  COURSE_LABELS,
  duration,
  INCIDENT_STATE_LABELS,
  type Label,
  LABELS,
  LIMITATION_TEXTS,
  RESOLUTION_LABELS,
  SEVERITY_LABELS,
  tokyoDateTime,
  trialStateLabel,
  vendorTermLabel,
} from './monthly-report-labels';

/** Everything inserted into the page goes through here: company names are user input. */
export function escapeHtml(value: string | number | null): string {
  if (value === null) return '—';
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A label as Japanese with its English subtitle underneath. */
function label([ja, en]: Label): string {
  return ja === en ? escapeHtml(ja) : `${escapeHtml(ja)}<span class="en">${escapeHtml(en)}</span>`;
}

function rows(pairs: Array<[Label, string | number | null]>): string {
  return pairs
    .map(([name, value]) => `<tr><th>${label(name)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
}

function figure(name: Label, value: string | number | null, unit = ''): string {
  return `<div class="figure"><div class="name">${label(name)}</div><div class="value">${escapeHtml(value)}${escapeHtml(unit)}</div></div>`;
}

/** A sampled peak with the Tokyo time it was read: `4 (2025-01-20 10:00 JST)`. */
function peak(figure: SampledFigure): string | null {
  if (figure.peakPerMinute === null) return null;
  return figure.peakAt === null
    ? String(figure.peakPerMinute)
    : `${figure.peakPerMinute} (${tokyoDateTime(figure.peakAt)})`;
}

function sampledCells(figure: SampledFigure): string {
  return [figure.minutesWithDetections, figure.peakPerMinute, figure.averagePerMinute]
    .map((value) => `<td class="n">${escapeHtml(value)}</td>`)
    .join('');
}

function utmSection(utm: UtmMonth): string {
  const { sampledMinutes, intrusionsBlocked, virusesCaught } = utm.detections;
  const daily = utm.days
    .map(
      (day) =>
        `<tr><td>${escapeHtml(day.date)}</td><td class="n">${day.detections.sampledMinutes}</td>` +
        `${sampledCells(day.detections.intrusionsBlocked)}${sampledCells(day.detections.virusesCaught)}` +
        `<td class="n">${escapeHtml(day.uptimePercent)}</td></tr>`,
    )
    .join('');
  const perFigure = [LABELS.minutesWith, LABELS.peakPerMinute, LABELS.averagePerMinute]
    .map((name) => `<th>${label(name)}</th>`)
    .join('');
  return `<section>
<h2>${label(LABELS.utm)}</h2>
<table class="facts">${rows([
    [LABELS.serial, utm.appliance.serial],
    [LABELS.model, utm.appliance.model],
    [LABELS.covered, `${utm.coveredFrom} 〜 ${utm.coveredTo}`],
  ])}</table>
<div class="figures">
${figure(LABELS.uptime, utm.uptimePercent)}
${figure(LABELS.daysOffline, utm.daysOffline)}
${figure(LABELS.daysWithOutage, utm.daysWithOutage)}
</div>
<h3>${label(LABELS.sampledSection)}</h3>
<p class="sampled">${label(LABELS.sampledNote)}</p>
<table class="facts">${rows([
    [LABELS.sampledMinutes, sampledMinutes],
    [LABELS.minutesWithIntrusions, intrusionsBlocked.minutesWithDetections],
    [LABELS.intrusionsPeak, peak(intrusionsBlocked)],
    [LABELS.intrusionsAverage, intrusionsBlocked.averagePerMinute],
    [LABELS.minutesWithViruses, virusesCaught.minutesWithDetections],
    [LABELS.virusesPeak, peak(virusesCaught)],
    [LABELS.virusesAverage, virusesCaught.averagePerMinute],
  ])}</table>
<h3>${label(LABELS.daily)}</h3>
<table class="daily"><thead>
<tr><th rowspan="2">${label(LABELS.date)}</th><th rowspan="2">${label(LABELS.sampledMinutesShort)}</th><th colspan="3">${label(LABELS.intrusions)}</th><th colspan="3">${label(LABELS.viruses)}</th><th rowspan="2">${label(LABELS.uptime)}</th></tr>
<tr>${perFigure}${perFigure}</tr>
</thead>
<tbody>${daily}</tbody></table>
</section>`;
}

function edrSection(edr: EdrMonth): string {
  const health = `${LABELS.healthy[0]} ${edr.agentHealth.healthy} / ${LABELS.degraded[0]} ${edr.agentHealth.degraded} / ${LABELS.unknown[0]} ${edr.agentHealth.unknown}`;
  return `<section>
<h2>${label(LABELS.edr)}</h2>
<table class="facts">${rows([
    [LABELS.vendor, edr.tenant.vendor],
    [LABELS.covered, `${edr.coveredFrom} 〜 ${edr.coveredTo}`],
    [LABELS.users, edr.users],
    [LABELS.seatsAtEnd, edr.seatsAtEnd],
    [LABELS.devicesEnrolled, edr.devicesEnrolled],
    [LABELS.devicesReleased, edr.devicesReleased],
    [LABELS.agentHealth, health],
    [LABELS.lastSeenAt, edr.lastSeenAt ? tokyoDateTime(edr.lastSeenAt) : null],
  ])}</table>
</section>`;
}

/** A header row and body rows of cells already rendered. */
function table(head: Label[], body: string[][], numericFrom = 1): string {
  const cells = body
    .map(
      (row) =>
        `<tr>${row.map((cell, i) => (i >= numericFrom ? `<td class="n">${cell}</td>` : `<td>${cell}</td>`)).join('')}</tr>`,
    )
    .join('');
  return `<table class="list"><thead><tr>${head.map((name) => `<th>${label(name)}</th>`).join('')}</tr></thead><tbody>${cells}</tbody></table>`;
}

function utmEventsSection(events: UtmEventsMonth): string {
  // Email filtering is a category only some units log: shown when it has events.
  const categories = events.byCategory.filter(
    (row) => row.category !== 'email_filter' || row.total > 0,
  );
  const threats =
    events.topSignatures.length === 0
      ? `<p>${label(LABELS.noDetections)}</p>`
      : table(
          [LABELS.rank, LABELS.signature, LABELS.category, LABELS.detected, LABELS.blocked],
          events.topSignatures.map((row, index) => [
            String(index + 1),
            escapeHtml(row.signature),
            label(CATEGORY_LABELS[row.category]),
            escapeHtml(row.total),
            escapeHtml(row.stopped),
          ]),
          3,
        );
  return `<section>
<h2>${label(LABELS.utmEvents)}</h2>
<div class="figures">
${figure(LABELS.detected, events.total)}
${figure(LABELS.blocked, events.stopped)}
</div>
${table(
  [LABELS.category, LABELS.detected, LABELS.blocked],
  [
    ...categories.map((row) => [
      label(CATEGORY_LABELS[row.category]),
      escapeHtml(row.total),
      escapeHtml(row.stopped),
    ]),
    [label(LABELS.total), escapeHtml(events.total), escapeHtml(events.stopped)],
  ],
)}
<h3>${label(LABELS.topThreats)}</h3>
${threats}
<h3>${label(LABELS.dailyEvents)}</h3>
${dailyChart(events.days)}
</section>`;
}

function edrThreatsSection(edr: EdrMonthFigures): string {
  const removals =
    edr.remoteRemovals.length === 0
      ? ''
      : `<h3>${label(LABELS.remoteRemovals)}</h3>${table(
          [LABELS.action, LABELS.requested, LABELS.accepted],
          edr.remoteRemovals.map((row) => [
            label(vendorTermLabel(row.action)),
            escapeHtml(row.requested),
            escapeHtml(row.accepted),
          ]),
        )}`;
  const tables =
    edr.total === 0
      ? `<p>${label(LABELS.noDetections)}</p>`
      : `${table(
          [LABELS.classification, LABELS.threats, LABELS.mitigated],
          edr.byClassification.map((row) => [
            label(vendorTermLabel(row.classification)),
            escapeHtml(row.total),
            escapeHtml(row.mitigated),
          ]),
        )}
${table(
  [LABELS.mitigationStatus, LABELS.threats],
  edr.byMitigationStatus.map((row) => [label(vendorTermLabel(row.status)), escapeHtml(row.total)]),
)}`;
  return `<section>
<h2>${label(LABELS.edrThreats)}</h2>
<div class="figures">
${figure(LABELS.threats, edr.total)}
${figure(LABELS.mitigated, edr.mitigated)}
</div>
${tables}
${removals}
</section>`;
}

/** Median / mean as `h:mm:ss`, or a dash when nothing was counted. */
function durations(figures: DurationFigures): string {
  return figures.incidents === 0
    ? '—'
    : `${duration(figures.medianSeconds)} / ${duration(figures.meanSeconds)} (n=${figures.incidents})`;
}

function counts<K extends string>(values: Record<K, number>, labels: Record<K, Label>): string {
  return (Object.keys(labels) as K[]).map((key) => `${labels[key][0]} ${values[key]}`).join(' / ');
}

function incidentsSection(incidents: IncidentMonthFigures): string {
  const list =
    incidents.listed.length === 0
      ? `<p>${label(LABELS.noIncidents)}</p>`
      : table(
          [
            LABELS.openedAt,
            LABELS.severity,
            LABELS.incidentTitle,
            LABELS.incidentState,
            LABELS.resolution,
            LABELS.timeToAcknowledge,
            LABELS.timeToResolve,
          ],
          incidents.listed.map((incident) => [
            escapeHtml(tokyoDateTime(incident.openedAt)),
            label(SEVERITY_LABELS[incident.severity]),
            escapeHtml(incident.title),
            label(INCIDENT_STATE_LABELS[incident.state]),
            incident.resolution ? label(RESOLUTION_LABELS[incident.resolution]) : '—',
            escapeHtml(duration(incident.timeToAcknowledgeSeconds)),
            escapeHtml(duration(incident.timeToResolveSeconds)),
          ]),
          5,
        );
  return `<section>
<h2>${label(LABELS.incidents)}</h2>
<div class="figures">
${figure(LABELS.opened, incidents.opened)}
${figure(LABELS.resolved, incidents.resolved)}
${figure(LABELS.openAtEnd, incidents.openAtEnd)}
</div>
<table class="facts">${rows([
    [LABELS.severity, counts(incidents.openedBySeverity, SEVERITY_LABELS)],
    [LABELS.resolution, counts(incidents.resolvedByResolution, RESOLUTION_LABELS)],
    [LABELS.timeToAcknowledge, durations(incidents.timeToAcknowledge)],
    [LABELS.timeToResolve, durations(incidents.timeToResolve)],
  ])}</table>
<h3>${label(LABELS.incidentList)}</h3>
${list}
</section>`;
}

// Inline only: the page is saved, mailed and printed, so it must not fetch anything.
const STYLE = `
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Hiragino Kaku Gothic ProN", "Yu Gothic", Meiryo, sans-serif; font-size: 10pt; color: #222; margin: 0; }
.page { max-width: 186mm; margin: 0 auto; }
h1 { font-size: 18pt; margin: 0 0 2mm; border-bottom: 2px solid #1f4e79; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; color: #1f4e79; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; }
.en { display: block; font-size: 7.5pt; font-weight: normal; color: #666; }
h1 .en, h2 .en { display: inline; margin-left: 2mm; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2mm; }
th, td { border: 1px solid #bbb; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #eef3f8; width: 45mm; }
.daily th { width: auto; }
.daily td, .daily th { padding: 0.4mm 2mm; font-size: 8.5pt; }
td.n { text-align: right; white-space: nowrap; }
.sampled { font-size: 8.5pt; color: #444; margin: 0 0 2mm; }
.sampled .en { display: inline; margin-left: 1mm; }
.figures { display: flex; gap: 3mm; margin: 3mm 0; }
.figure { flex: 1; border: 1px solid #1f4e79; padding: 2mm; text-align: center; }
.figure .value { font-size: 16pt; font-weight: bold; }
section { page-break-inside: avoid; }
.daily { page-break-inside: auto; }
.notes li { margin-bottom: 1mm; }
.list th { width: auto; }
.list td, .list th { font-size: 8.5pt; padding: 0.6mm 2mm; }
.chart { width: 100%; height: auto; display: block; }
`;

export function renderMonthlyReportHtml(report: MonthlyReportData, generatedAt: Date): string {
  const trials = report.trials
    .map(
      (trial) =>
        `<tr><td>${label(COURSE_LABELS[trial.course])}</td><td>${escapeHtml(`${trial.startsOn} 〜 ${trial.endsOn}`)}</td><td>${label(trialStateLabel(trial.state))}</td></tr>`,
    )
    .join('');
  const notes = report.limitations.map((l) => `<li>${label(LIMITATION_TEXTS[l])}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${LABELS.title[0]} ${report.month} ${report.company.name}`)}</title>
<style>${STYLE}</style>
</head>
<body><div class="page">
<h1>${label(LABELS.title)}</h1>
<p>${label(LABELS.programme)}</p>
<table class="facts">${rows([
    [LABELS.company, report.company.name],
    [LABELS.corporateNumber, report.company.corporateNumber],
    [LABELS.month, report.month],
    [LABELS.period, `${report.period.firstDay} 〜 ${report.period.lastDay}`],
    [LABELS.generatedAt, tokyoDateTime(generatedAt)],
    [
      LABELS.status,
      `${(report.complete ? LABELS.final : LABELS.provisional)[0]} (${(report.complete ? LABELS.final : LABELS.provisional)[1]})`,
    ],
  ])}</table>
<section>
<h2>${label(LABELS.trials)}</h2>
${
  report.trials.length === 0
    ? `<p>${label(LABELS.none)}</p>`
    : `<table><thead><tr><th>${label(LABELS.course)}</th><th>${label(LABELS.trialPeriod)}</th><th>${label(LABELS.trialState)}</th></tr></thead><tbody>${trials}</tbody></table>`
}
</section>
${utmEventsSection(report.utmEvents)}
${edrThreatsSection(report.edrThreats)}
${incidentsSection(report.incidents)}
${report.utm.map(utmSection).join('\n')}
${report.edr.map(edrSection).join('\n')}
${notes ? `<section><h2>${label(LABELS.notes)}</h2><ul class="notes">${notes}</ul></section>` : ''}
</div></body>
</html>
`;
}
