import { utmMonthFigures } from '@app/detections';
import { utmEventsMonth } from './event-figures';

describe('the day-by-day series of UTM events', () => {
  it('has every day of the span, zeroes on a day without events, days outside left out', () => {
    const month = utmEventsMonth(
      utmMonthFigures(
        [
          { day: '2025-01-31', category: 'intrusion', total: 1, stopped: 1 },
          { day: '2025-02-01', category: 'intrusion', total: 3, stopped: 3 },
          { day: '2025-02-03', category: 'virus', total: 2, stopped: 1 },
          { day: '2025-02-03', category: 'botnet', total: 1, stopped: 1 },
        ],
        [],
      ),
      '2025-02-01',
      '2025-02-03',
    );
    expect(month.days).toEqual([
      {
        date: '2025-02-01',
        total: 3,
        stopped: 3,
        byCategory: {
          virus: 0,
          intrusion: 3,
          web_filter: 0,
          app_control: 0,
          botnet: 0,
          email_filter: 0,
        },
      },
      {
        date: '2025-02-02',
        total: 0,
        stopped: 0,
        byCategory: {
          virus: 0,
          intrusion: 0,
          web_filter: 0,
          app_control: 0,
          botnet: 0,
          email_filter: 0,
        },
      },
      {
        date: '2025-02-03',
        total: 3,
        stopped: 2,
        byCategory: {
          virus: 2,
          intrusion: 0,
          web_filter: 0,
          app_control: 0,
          botnet: 1,
          email_filter: 0,
        },
      },
    ]);
    expect(month).not.toHaveProperty('byDay');
  });
});
