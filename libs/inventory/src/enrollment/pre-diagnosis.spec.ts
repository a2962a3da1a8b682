import { assessFeasibility, type PreDiagnosis } from './pre-diagnosis';

const ready: PreDiagnosis = {
  networkLayout: 'ONU → router → HUB',
  freeHubPorts: 2,
  existingUtm: false,
  pcCount: 25,
  operatingSystems: ['Windows 11', 'macOS 14'],
  antivirus: true,
  edrInstalled: false,
  securityPolicy: 'none',
  peripheralsReady: true,
};

describe('pre-diagnosis feasibility', () => {
  it('a ready office can take both', async () => {
    expect(assessFeasibility(ready)).toEqual({ feasible: { utm: true, edr: true }, reasons: [] });
  });

  it('no free HUB port or an existing UTM rules out the UTM only', async () => {
    const result = assessFeasibility({ ...ready, freeHubPorts: 0, existingUtm: true });
    expect(result.feasible).toEqual({ utm: false, edr: true });
    expect(result.reasons.map((r) => r.code)).toEqual([
      'NO_FREE_HUB_PORT',
      'UTM_ALREADY_INSTALLED',
    ]);
  });

  it('one free port is enough (boundary)', async () => {
    expect(assessFeasibility({ ...ready, freeHubPorts: 1 }).feasible.utm).toBe(true);
  });

  it('peripherals not ready rules out the UTM', async () => {
    expect(
      assessFeasibility({ ...ready, peripheralsReady: false }).reasons.map((r) => r.code),
    ).toEqual(['PERIPHERALS_NOT_READY']);
  });

  it('an EDR already in use, no PCs or no supported OS rule out EDR, each listed', async () => {
    const result = assessFeasibility({
      ...ready,
      edrInstalled: true,
      pcCount: 0,
      operatingSystems: ['ChromeOS'],
    });
    expect(result.feasible).toEqual({ utm: true, edr: false });
    expect(result.reasons.map((r) => r.code)).toEqual([
      'NO_DEVICES',
      'EDR_ALREADY_INSTALLED',
      'NO_SUPPORTED_OPERATING_SYSTEM',
    ]);
  });
});
