/** The pre-diagnosis (事前診断) answers, as the expert records them. */
export interface PreDiagnosis {
  networkLayout: string;
  freeHubPorts: number;
  existingUtm: boolean;
  pcCount: number;
  operatingSystems: string[];
  antivirus: boolean;
  edrInstalled: boolean;
  securityPolicy: 'none' | 'draft' | 'established';
  peripheralsReady: boolean;
}

export const FEASIBILITY_REASON_CODES = [
  'NO_FREE_HUB_PORT',
  'UTM_ALREADY_INSTALLED',
  'PERIPHERALS_NOT_READY',
  'NO_DEVICES',
  'EDR_ALREADY_INSTALLED',
  'NO_SUPPORTED_OPERATING_SYSTEM',
] as const;
export type FeasibilityReasonCode = (typeof FEASIBILITY_REASON_CODES)[number];

export interface FeasibilityReason {
  course: 'utm' | 'edr';
  code: FeasibilityReasonCode;
  message: string;
}

export interface Feasibility {
  feasible: { utm: boolean; edr: boolean };
  reasons: FeasibilityReason[];
}

/** The EDR agents the programme lends run on these platforms. */
const SUPPORTED_OS = [
  /windows/i,
  /mac ?os|os ?x/i,
  /linux|ubuntu|debian|red ?hat|rhel|centos|rocky|alma/i,
];

/** Whether a UTM can be installed and EDR deployed, with every reason against. */
export function assessFeasibility(survey: PreDiagnosis): Feasibility {
  const reasons: FeasibilityReason[] = [];
  if (survey.freeHubPorts < 1) {
    reasons.push({
      course: 'utm',
      code: 'NO_FREE_HUB_PORT',
      message: 'The HUB has no free port for the UTM',
    });
  }
  if (survey.existingUtm) {
    reasons.push({
      course: 'utm',
      code: 'UTM_ALREADY_INSTALLED',
      message: 'A UTM is already installed',
    });
  }
  if (!survey.peripheralsReady) {
    reasons.push({
      course: 'utm',
      code: 'PERIPHERALS_NOT_READY',
      message: 'The power strip, HUB and LAN cables (the company provides them) are not ready',
    });
  }
  if (survey.pcCount < 1) {
    reasons.push({
      course: 'edr',
      code: 'NO_DEVICES',
      message: 'There are no PCs to put agents on',
    });
  }
  if (survey.edrInstalled) {
    reasons.push({
      course: 'edr',
      code: 'EDR_ALREADY_INSTALLED',
      message: 'An EDR product is already in use',
    });
  }
  if (!survey.operatingSystems.some((os) => SUPPORTED_OS.some((pattern) => pattern.test(os)))) {
    reasons.push({
      course: 'edr',
      code: 'NO_SUPPORTED_OPERATING_SYSTEM',
      message:
        'None of the operating systems in use is supported by the EDR agent (Windows, macOS, Linux)',
    });
  }
  return {
    feasible: {
      utm: !reasons.some((reason) => reason.course === 'utm'),
      edr: !reasons.some((reason) => reason.course === 'edr'),
    },
    reasons,
  };
}
