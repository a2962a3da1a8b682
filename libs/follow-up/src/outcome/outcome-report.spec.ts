import { createHash } from 'node:crypto';
import { summarise } from '../questionnaire/questionnaire-questions';
import {
  OUTCOME_REPORT_CSS,
  OUTCOME_REPORT_STYLE_HASH,
  managementFigures,
  type OutcomeFigures,
  outcomeReport,
  outcomeReportCsv,
  outcomeReportHtml,
} from './outcome-report';

const zero = { total: 0, stopped: 0 };
const course = (name: 'utm' | 'edr' | 'management', completed: number) => ({
  course: name,
  applicationsReceived: 3,
  placesHeld: 2 + completed,
  applied: 1,
  confirmed: 1,
  completed,
  withdrawing: 0,
  withdrawn: 1,
  ruledOut: 0,
});

const figures: OutcomeFigures = {
  program: { code: 'fy2024', name: '令和6年度 <支援事業>', endsOn: '2025-03-31' },
  generatedAt: new Date('2025-04-01T00:00:00Z'),
  courses: [course('utm', 2), course('edr', 1), course('management', 0)],
  trials: {
    utmTrials: 3,
    edrTrials: 1,
    appliancesInstalled: 3,
    edrDevicesEnrolled: 4,
    utmConversions: 1,
    edrConversions: 0,
  },
  detections: {
    utm: {
      total: 7,
      stopped: 5,
      byCategory: {
        virus: { total: 2, stopped: 2 },
        intrusion: { total: 5, stopped: 3 },
        web_filter: zero,
        app_control: zero,
        botnet: zero,
        email_filter: zero,
      },
    },
    edr: { total: 1, stopped: 1 },
  },
  incidents: { info: 0, low: 1, medium: 0, high: 2, critical: 0 },
  management: managementFigures([
    { completedOn: '2025-01-10', twoStarDeclaredOn: '2025-01-20' },
    { completedOn: '2025-02-03', twoStarDeclaredOn: null },
    { completedOn: null, twoStarDeclaredOn: null },
  ]),
  questionnaire: summarise(2, [
    {
      awarenessBefore: 2,
      awarenessAfter: 4,
      usefulness: 5,
      measuresKept: ['utm'],
      equipmentIntent: 'yes',
      comment: '株式会社テストの山田です',
      consentNextYearSurvey: true,
      consentHearing: true,
    },
  ]),
};

describe('the outcome report', () => {
  const report = outcomeReport(figures);

  it('sums conversions and incidents, and only counts the comments', () => {
    expect(report.conversions).toEqual({ utm: 1, edr: 0, total: 1 });
    expect(report.incidents).toEqual({ total: 3, bySeverity: figures.incidents });
    expect(report.devices).toEqual({ appliancesInstalled: 3, edrDevicesEnrolled: 4 });
    expect(report.questionnaire.comments).toBe(1);
    expect(report.management).toEqual({
      companies: 3,
      companiesCompleted: 2,
      twoStarDeclarations: 1,
    });
    expect(JSON.stringify(report)).not.toContain('山田');
  });

  it('as CSV: BOM, a header, one figure a row, CRLF, no comment text', () => {
    const csv = outcomeReportCsv(report);
    expect(csv.startsWith('\uFEFFsection,item,label,value\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toContain('course.utm,completed,UTM 導入支援: 支援完了,2');
    expect(lines).toContain('conversions,total,本契約数（計）,1');
    expect(lines).toContain('incidents,high,インシデント（重要度: 高）,2');
    expect(lines).toContain('questionnaire,responseRate,回答率,0.5');
    expect(csv).not.toContain('山田');
  });

  it('as HTML: Japanese, A4, escaped, no script, the style its CSP hash allows', () => {
    const html = outcomeReportHtml(report);
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('令和6年度 &lt;支援事業&gt; 成果報告');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(`<style>${OUTCOME_REPORT_CSS}</style>`);
    expect(OUTCOME_REPORT_CSS).toContain('size: A4');
    const hash = createHash('sha256').update(OUTCOME_REPORT_CSS, 'utf8').digest('base64');
    expect(OUTCOME_REPORT_STYLE_HASH).toBe(`'sha256-${hash}'`);
    expect(html).not.toContain('山田');
  });
});
