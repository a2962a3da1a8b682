import { type MonthlyReportData, type SampledDetections } from '@app/reports';
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

function report(overrides: Partial<MonthlyReportData> = {}): MonthlyReportData {
  return {
    schemaVersion: 2,
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
    expect(note).toContain('「直近1分間の件数」を採取したもの');
    expect(note).toContain('合計件数ではありません');
    expect(note).toContain("samples of the unit's per-minute counts");
    expect(note).toContain("Counts from the unit's logs will replace them.");
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

  it('says plainly what an EDR section cannot report', () => {
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
            detections: null,
          },
        ],
        limitations: ['edr_detections_not_recorded', 'edr_health_is_snapshot'],
      }),
      GENERATED_AT,
    );
    expect(csv).toContain('EDR simulator,検知数 (Detections),データなし (not available)');
    expect(csv).toContain('EDR detections are not yet recorded by the controller');
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
    expect(html).toMatch(
      /1分あたり最大（採取値）<span class="en">Intrusions blocked: peak per minute \(sampled\)<\/span><\/div><div class="value">7<\/div>/,
    );
    expect(html).toMatch(
      /1分あたり最大（採取値）<span class="en">Viruses caught: peak per minute \(sampled\)<\/span><\/div><div class="value">1<\/div>/,
    );
    // Nothing to fetch: no links, scripts, images or remote stylesheets.
    expect(html).not.toMatch(/<(script|link|img|iframe)\b|\bsrc=|\bhref=|url\(|@import|https?:/i);
  });

  it('says next to the figures and in the notes that they are per-minute samples, not totals', () => {
    const html = renderMonthlyReportHtml(report(), GENERATED_AT);
    expect(html).toContain(
      '<p class="sampled">※ 検知の数値は監視ごとに採取した「直近1分間の件数」で、合計件数ではありません（注記参照）。',
    );
    expect(html).toContain(
      'Detection figures are per-minute counts sampled at each health poll, not totals',
    );
    expect(html).toMatch(/<ul class="notes"><li>UTM の不正侵入ブロック・ウイルス検知の数値は/);
    expect(html).toContain('7 (2025-01-20 10:00 JST)');
    // The day's row: minutes sampled, then minutes with detections, peak and mean per figure.
    expect(html).toContain(
      '<tr><td>2025-01-20</td><td class="n">2</td><td class="n">2</td><td class="n">7</td><td class="n">5</td>' +
        '<td class="n">1</td><td class="n">1</td><td class="n">0.5</td><td class="n">100</td></tr>',
    );
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
