import { edrMonthFigures, utmMonthFigures } from '@app/detections';
import { incidentMonthFigures } from '@app/incidents';
import { utmEventsMonth } from '../event-figures';
import { type MonthlyReportData, type SampledDetections } from '../monthly-report-data';
import { monthPeriod } from '../report-month';
import { dailyChart, scaleTop } from './monthly-report-chart';
import { csvCell, renderMonthlyReportCsv, UTF8_BOM } from './monthly-report-csv';
import { escapeHtml, renderMonthlyReportHtml } from './monthly-report-html';
import { contentDisposition, reportFileName, tokyoDateTime } from './monthly-report-labels';

const GENERATED_AT = new Date('2025-01-31T21:00:00Z');

const JANUARY_DETECTIONS: SampledDetections = {
  sampledMinutes: 14,
  intrusionsBlocked: {
    minutesWithDetections: 7,
    peakPerMinute: 7,
    peakAt: '2025-01-20T01:00:00.000Z',
    averagePerMinute: 1.79,
  },
  virusesCaught: {
    minutesWithDetections: 3,
    peakPerMinute: 1,
    peakAt: '2024-12-31T15:15:00.000Z',
    averagePerMinute: 0.21,
  },
};

const JANUARY = monthPeriod('2025-01');

/** January's events: 5 intrusions (4 blocked) and a virus on the 1st, 2 web filter blocks on the 31st. */
const JANUARY_EVENTS = utmEventsMonth(
  utmMonthFigures(
    [
      { day: '2025-01-01', category: 'intrusion', total: 5, stopped: 4 },
      { day: '2025-01-01', category: 'virus', total: 1, stopped: 1 },
      { day: '2025-01-31', category: 'web_filter', total: 2, stopped: 2 },
    ],
    [
      { category: 'intrusion', signature: 'HTTP.URI.SQL.Injection', total: 5, stopped: 4 },
      { category: 'web_filter', signature: 'Malicious Websites', total: 2, stopped: 2 },
      { category: 'virus', signature: 'EICAR_TEST_FILE', total: 1, stopped: 1 },
    ],
  ),
  JANUARY.firstDay,
  JANUARY.lastDay,
);

const JANUARY_EDR = edrMonthFigures(
  [
    { classification: 'Trojan', mitigationStatus: 'mitigated', total: 2 },
    { classification: 'Ransomware', mitigationStatus: 'not_mitigated', total: 1 },
  ],
  [{ action: 'quarantine', requested: 1, accepted: 1 }],
);

const JANUARY_INCIDENTS = incidentMonthFigures(
  [
    {
      id: 'i-1',
      title: 'EDR threat Ransom.Locky on pc-02',
      severity: 'critical',
      resolution: 'remote_removal',
      detectionCount: 1,
      openedAt: new Date('2025-01-10T01:00:00Z'),
      acknowledgedAt: new Date('2025-01-10T01:05:00Z'),
      investigatingAt: null,
      resolvedAt: new Date('2025-01-10T03:00:00Z'),
      timeToAcknowledgeSeconds: 300,
      timeToResolveSeconds: 7200,
    },
  ],
  JANUARY.start,
  JANUARY.end,
);

function report(overrides: Partial<MonthlyReportData> = {}): MonthlyReportData {
  return {
    schemaVersion: 3,
    month: '2025-01',
    period: { firstDay: '2025-01-01', lastDay: '2025-01-31', timeZone: 'Asia/Tokyo' },
    complete: true,
    company: { id: 'c-1', name: '株式会社テスト', corporateNumber: '1234567890123' },
    trials: [
      { id: 't-1', course: 'utm', startsOn: '2024-12-02', endsOn: '2025-03-02', state: 'active' },
    ],
    utm: [
      {
        trialId: 't-1',
        appliance: {
          id: 'a-1',
          serial: 'FGT60FTK0001',
          vendor: 'fortinet',
          model: 'FortiGate-60F',
        },
        coveredFrom: '2025-01-01',
        coveredTo: '2025-01-31',
        detections: JANUARY_DETECTIONS,
        uptimePercent: 59.3,
        polledHours: 8,
        daysPolled: 6,
        daysOffline: 1,
        daysWithOutage: 2,
        days: [
          {
            date: '2025-01-20',
            detections: {
              sampledMinutes: 2,
              intrusionsBlocked: {
                minutesWithDetections: 2,
                peakPerMinute: 7,
                peakAt: '2025-01-20T01:00:00.000Z',
                averagePerMinute: 5,
              },
              virusesCaught: {
                minutesWithDetections: 1,
                peakPerMinute: 1,
                peakAt: '2025-01-20T01:00:00.000Z',
                averagePerMinute: 0.5,
              },
            },
            uptimePercent: 100,
          },
        ],
      },
    ],
    edr: [],
    utmEvents: JANUARY_EVENTS,
    edrThreats: JANUARY_EDR,
    incidents: JANUARY_INCIDENTS,
    limitations: ['utm_detections_sampled'],
    ...overrides,
  };
}

describe('the CSV of a monthly report', () => {
  it.each<[string | number | null, string]>([
    ['plain', 'plain'],
    [45, '45'],
    [null, ''],
    ['株式会社A, 東京', '"株式会社A, 東京"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    // Excel would run these as formulas: a company name is user input.
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+81', "'+81"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
  ])('%j is written as %s', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('starts with the BOM and a bilingual header, ends lines with CRLF, and holds the figures', () => {
    const csv = renderMonthlyReportCsv(report(), GENERATED_AT);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('区分 (section),項目 (item),値 (value)');
    expect(lines).toContain('概要 (Summary),会社名 (Company),株式会社テスト');
    expect(lines).toContain('概要 (Summary),作成日時 (Generated at),2025-02-01 06:00 JST');
    expect(lines).toContain('UTM 機器 (UTM appliance) FGT60FTK0001,稼働率 (%) (Uptime (%)),59.3');
    expect(lines.at(-1)).toBe('');
  });

  it('gives the sampled detection figures as samples, each label saying so, and no total', () => {
    const lines = renderMonthlyReportCsv(report(), GENERATED_AT).slice(1).split('\r\n');
    const utm = lines
      .filter((line) => line.startsWith('UTM 機器 (UTM appliance) FGT60FTK0001,'))
      .map((line) => line.slice('UTM 機器 (UTM appliance) FGT60FTK0001,'.length));
    expect(utm).toEqual([
      'シリアル番号 (Serial number),FGT60FTK0001',
      '機種 (Model),FortiGate-60F',
      '集計期間 (Days covered),2025-01-01〜2025-01-31',
      '採取した分数（監視ごとの直近1分間） (Minutes sampled (the minute before each health poll)),14',
      '不正侵入ブロックがあった分数（採取分のうち） (Sampled minutes with intrusions blocked),7',
      '不正侵入ブロック 1分あたり最大（採取値） (Intrusions blocked: peak per minute (sampled)),7',
      '不正侵入ブロック最大の採取日時 (Intrusions blocked: peak sampled at),2025-01-20 10:00 JST',
      '不正侵入ブロック 1分あたり平均（採取値） (Intrusions blocked: average per minute (sampled)),1.79',
      'ウイルス検知があった分数（採取分のうち） (Sampled minutes with viruses caught),3',
      'ウイルス検知 1分あたり最大（採取値） (Viruses caught: peak per minute (sampled)),1',
      'ウイルス検知最大の採取日時 (Viruses caught: peak sampled at),2025-01-01 00:15 JST',
      'ウイルス検知 1分あたり平均（採取値） (Viruses caught: average per minute (sampled)),0.21',
      '稼働率 (%) (Uptime (%)),59.3',
      '停止日数 (Days offline),1',
      '通信断のあった日数 (Days with an outage),2',
    ]);
    const note = lines.find((line) => line.startsWith('注記 (Notes),'));
    expect(note).toContain('「直近1分間の件数」を採取した参考値');
    expect(note).toContain('合計件数ではありません');
    expect(note).toContain("samples of the unit's per-minute counts");
    expect(note).toContain("The totals are the counts from the units' logs");
  });

  it('leaves a figure empty when no minute was sampled, rather than writing 0', () => {
    const quiet = report();
    quiet.utm[0].detections = {
      sampledMinutes: 0,
      intrusionsBlocked: {
        minutesWithDetections: 0,
        peakPerMinute: null,
        peakAt: null,
        averagePerMinute: null,
      },
      virusesCaught: {
        minutesWithDetections: 0,
        peakPerMinute: null,
        peakAt: null,
        averagePerMinute: null,
      },
    };
    const lines = renderMonthlyReportCsv(quiet, GENERATED_AT).split('\r\n');
    expect(lines).toContain(
      'UTM 機器 (UTM appliance) FGT60FTK0001,不正侵入ブロック 1分あたり最大（採取値） (Intrusions blocked: peak per minute (sampled)),',
    );
    expect(lines).toContain(
      'UTM 機器 (UTM appliance) FGT60FTK0001,ウイルス検知最大の採取日時 (Viruses caught: peak sampled at),',
    );
  });

  it('counts the events by category, names the top threats, gives every day, EDR threats and incidents', () => {
    const lines = renderMonthlyReportCsv(report(), GENERATED_AT).slice(1).split('\r\n');
    for (const line of [
      "UTM の検知・防御（機器のログより） (UTM detections and blocks (from the units' logs)),検知数 (Detected),8",
      "UTM の検知・防御（機器のログより） (UTM detections and blocks (from the units' logs)),防御数 (Blocked),7",
      "UTM の検知・防御（機器のログより） (UTM detections and blocks (from the units' logs)),不正侵入（IPS）：検知数 (Intrusion (IPS): Detected),5",
      "UTM の検知・防御（機器のログより） (UTM detections and blocks (from the units' logs)),不正侵入（IPS）：防御数 (Intrusion (IPS): Blocked),4",
      "UTM の検知・防御（機器のログより） (UTM detections and blocks (from the units' logs)),ボットネット通信：検知数 (Botnet: Detected),0",
      '検知の多かった脅威 (Top threats),1. HTTP.URI.SQL.Injection (不正侵入（IPS） (Intrusion (IPS))),5',
      '日別の検知数 (Detections per day),2025-01-01：検知数 (2025-01-01: Detected),6',
      '日別の検知数 (Detections per day),2025-01-15：検知数 (2025-01-15: Detected),0',
      '日別の検知数 (Detections per day),2025-01-31：防御数 (2025-01-31: Blocked),2',
      'EDR の脅威検知 (EDR threats),件数 (Threats),3',
      'EDR の脅威検知 (EDR threats),対処済み (Mitigated),2',
      'EDR の脅威検知 (EDR threats),分類：Ransomware (Classification: Ransomware),1',
      'EDR の脅威検知 (EDR threats),対処状況：未対処 (Mitigation status: not mitigated),1',
      'インシデント対応 (Incidents and their handling),発生件数：緊急 (Opened: critical),1',
      'インシデント対応 (Incidents and their handling),対応完了件数：遠隔駆除 (Resolved: remote removal),1',
      'インシデント対応 (Incidents and their handling),受付までの時間（中央値 / 平均） (Time to acknowledge (median / mean)),0:05:00 / 0:05:00',
      'インシデント対応 (Incidents and their handling),期末時点で対応中 (Still open at period end),0',
    ]) {
      expect(lines).toContain(line);
    }
    expect(lines.filter((line) => line.startsWith('日別の検知数'))).toHaveLength(31 * 2);
  });

  it('says plainly what an EDR section holds: the ledger, its health as a snapshot', () => {
    const csv = renderMonthlyReportCsv(
      report({
        edr: [
          {
            trialId: 't-2',
            tenant: { id: 'e-1', vendor: 'simulator', state: 'trial' },
            coveredFrom: '2025-01-01',
            coveredTo: '2025-01-31',
            users: 2,
            seatsAtEnd: 3,
            devicesEnrolled: 3,
            devicesReleased: 0,
            agentHealth: { healthy: 2, degraded: 0, unknown: 1 },
            agentHealthAsOf: GENERATED_AT.toISOString(),
            lastSeenAt: null,
          },
        ],
        limitations: ['edr_health_is_snapshot'],
      }),
      GENERATED_AT,
    );
    expect(csv).toContain('EDR simulator,登録端末数（期末） (Devices at period end),3');
    expect(csv).toContain('EDR agent health is as of report generation');
  });
});

describe('the HTML of a monthly report', () => {
  it('escapes what it inserts', () => {
    expect(escapeHtml(`<script>alert('x')</script> & "q"`)).toBe(
      '&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62; &#38; &#34;q&#34;',
    );
    const html = renderMonthlyReportHtml(
      report({ company: { id: 'c', name: '<img src=x onerror=alert(1)>', corporateNumber: null } }),
      GENERATED_AT,
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
  });

  it('is a self-contained A4 page with Japanese labels, English subtitles and the figures', () => {
    const html = renderMonthlyReportHtml(report(), GENERATED_AT);
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('size: A4');
    expect(html).toContain(
      '月次セキュリティレポート<span class="en">Monthly security report</span>',
    );
    expect(html).toContain('株式会社テスト');
    expect(html).toContain(
      '<div class="name">検知数<span class="en">Detected</span></div><div class="value">8</div>',
    );
    expect(html).toContain(
      '<div class="name">防御数<span class="en">Blocked</span></div><div class="value">7</div>',
    );
    // Nothing to fetch: no links, scripts, images or remote stylesheets.
    expect(html).not.toMatch(/<(script|link|img|iframe)\b|\bsrc=|\bhref=|url\(|@import|https?:/i);
  });

  it('gives events by category, the top threats, a chart of every day, EDR threats and incidents', () => {
    const html = renderMonthlyReportHtml(report(), GENERATED_AT);
    // Counted events come before the appliance's sampled figures.
    expect(html.indexOf('UTM の検知・防御')).toBeLessThan(html.indexOf('監視時の採取値'));
    expect(html).toContain(
      '<tr><td>不正侵入（IPS）<span class="en">Intrusion (IPS)</span></td><td class="n">5</td><td class="n">4</td></tr>',
    );
    // No unit here logs email filtering: the category is left out rather than shown as zero.
    expect(html).not.toContain('メールフィルタ');
    expect(html).toContain(
      '<tr><td>1</td><td>HTTP.URI.SQL.Injection</td><td>不正侵入（IPS）<span class="en">Intrusion (IPS)</span></td><td class="n">5</td><td class="n">4</td></tr>',
    );
    expect(html.match(/<svg class="chart"/g)).toHaveLength(1);
    expect(html).toContain('Ransomware');
    expect(html).toContain('隔離<span class="en">quarantine</span>');
    expect(html).toContain('EDR threat Ransom.Locky on pc-02');
    expect(html).toContain('0:05:00 / 0:05:00 (n=1)');
    expect(html).toContain('2:00:00');
  });

  it('says next to the figures and in the notes that they are per-minute samples, not totals', () => {
    const html = renderMonthlyReportHtml(report(), GENERATED_AT);
    expect(html).toContain(
      '<p class="sampled">※ 検知の数値は監視ごとに採取した「直近1分間の件数」で、合計件数ではありません（注記参照）。',
    );
    expect(html).toContain(
      'Detection figures are per-minute counts sampled at each health poll, not totals',
    );
    expect(html).toMatch(/<ul class="notes"><li>UTM 機器の欄の「1分あたり」の数値は/);
    expect(html).toContain('7 (2025-01-20 10:00 JST)');
    // The day's row: minutes sampled, then minutes with detections, peak and mean per figure.
    expect(html).toContain(
      '<tr><td>2025-01-20</td><td class="n">2</td><td class="n">2</td><td class="n">7</td><td class="n">5</td>' +
        '<td class="n">1</td><td class="n">1</td><td class="n">0.5</td><td class="n">100</td></tr>',
    );
  });
});

describe('the day-by-day chart', () => {
  it.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [12, 20],
    [20, 20],
    [480, 500],
    [501, 1000],
  ])('a highest day of %i is drawn on a scale up to %i', (highest, top) => {
    expect(scaleTop(highest)).toBe(top);
  });

  it('stacks each day by category, writes its total, numbers every day, and has no script', () => {
    const svg = dailyChart(JANUARY_EVENTS.days);
    // The 1st: intrusion and virus bars; the 31st: web filter. Nothing else is drawn.
    expect(svg.match(/<rect [^>]*fill="#1f4e79"\/>/g)).toHaveLength(2); // one bar and its legend key
    expect(svg.match(/<rect /g)).toHaveLength(3 + 3);
    expect(svg).toContain('font-size="6">6</text>');
    expect(svg).toContain('font-size="6">2</text>');
    expect(svg).toContain('font-size="7">31</text>');
    expect(svg).not.toMatch(/<script|on\w+=|href/);
  });
});

describe('download names', () => {
  it.each([
    ['株式会社テスト', '月次レポート_株式会社テスト_2025-01.csv'],
    ['A/B:C*D?"E"<F>|G', '月次レポート_A_B_C_D__E__F__G_2025-01.csv'],
    ['  ', '月次レポート_company_2025-01.csv'],
  ])('%j saves as %s', (name, expected) => {
    expect(reportFileName(name, '2025-01', 'csv')).toEqual({
      ascii: 'monthly-report-2025-01.csv',
      utf8: expected,
    });
  });

  it('offers an ASCII fallback and the UTF-8 name (RFC 6266)', () => {
    expect(contentDisposition('株式会社テスト', '2025-01', 'csv')).toBe(
      `attachment; filename="monthly-report-2025-01.csv"; filename*=UTF-8''${encodeURIComponent('月次レポート_株式会社テスト_2025-01.csv')}`,
    );
  });

  it('shows times in Tokyo', () => {
    expect(tokyoDateTime('2025-01-31T15:00:00Z')).toBe('2025-02-01 00:00 JST');
  });
});
