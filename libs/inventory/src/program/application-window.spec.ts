import { isApplicationOpen, pickOpenProgram } from './application-window';

const fy2024 = {
  code: 'tokyo-fy2024',
  applicationOpensOn: '2024-05-30',
  applicationClosesOn: '2024-11-29',
};
const fy2025 = {
  code: 'tokyo-fy2025',
  applicationOpensOn: '2024-11-01',
  applicationClosesOn: '2025-11-28',
};

describe('application window', () => {
  it.each([
    ['2024-05-29', false],
    ['2024-05-30', true],
    ['2024-11-29', true],
    ['2024-11-30', false],
  ])('on %s open is %s (both ends inclusive)', async (today, open) => {
    expect(isApplicationOpen(fy2024, today)).toBe(open);
  });

  it('picks the programme open today, the newest when windows overlap', async () => {
    expect(pickOpenProgram([fy2024, fy2025], '2024-06-01')?.code).toBe('tokyo-fy2024');
    expect(pickOpenProgram([fy2024, fy2025], '2024-11-15')?.code).toBe('tokyo-fy2025');
    expect(pickOpenProgram([fy2024, fy2025], '2026-01-01')).toBeNull();
  });
});
