import { randomBytes } from 'node:crypto';
import { ok, type TestApi } from '../support/test-api';
import { companyBody, openProgramBody, READY_SURVEY } from './inventory.factory';

export const APPLIANCE_PASSWORD = 'S3cret-trial-password!';

export function applianceBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const serial = `FGT60F${randomBytes(5).toString('hex').toUpperCase()}`;
  return {
    serial,
    vendor: 'fortinet',
    model: 'FortiGate-60F',
    firmware: 'v7.2.5,build1517',
    management: { host: '127.0.0.1', port: 2222, username: 'admin', password: APPLIANCE_PASSWORD },
    ...overrides,
  };
}

export interface Applicant {
  companyId: string;
  siteId: string;
  enrollmentId: string;
}

/** A company with a Tokyo site, a UTM enrolment and a feasible pre-diagnosis: ready for an appliance. */
export async function utmApplicant(
  api: TestApi,
  programCode: string,
  company: Record<string, unknown> = {},
): Promise<Applicant> {
  const { id: companyId } = await ok(api, 'POST', '/api/v1/companies', companyBody(company));
  const { id: siteId } = await ok(api, 'POST', `/api/v1/companies/${companyId}/sites`, {
    name: '本社',
    postalCode: '160-0023',
    address: '東京都新宿区西新宿1-1-1',
  });
  const { id: enrollmentId } = await ok(api, 'POST', '/api/v1/enrollments', {
    companyId,
    course: 'utm',
    programCode,
  });
  await ok(api, 'PUT', `/api/v1/enrollments/${enrollmentId}/survey`, READY_SURVEY);
  return { companyId, siteId, enrollmentId };
}

export async function createProgram(api: TestApi, code: string, utmCapacity = 500): Promise<void> {
  await ok(
    api,
    'POST',
    '/api/v1/programs',
    openProgramBody(code, new Date(), {
      courses: {
        utm: { capacity: utmCapacity },
        edr: { capacity: 500, maxUsers: 300, maxDevicesPerUser: 5 },
      },
    }),
  );
}

export interface InstalledAppliance extends Applicant {
  applianceId: string;
  trialId: string;
  endsOn: string;
  jobId: string;
}

/** A unit of the simulator's manifest as the appliance body's serial and management access. */
export function simulatedUnit(device: {
  serial: string;
  host: string;
  port: number;
  username: string;
  password: string;
}): Record<string, unknown> {
  const { serial, host, port, username, password } = device;
  return { serial, management: { host, port, username, password } };
}

/** Registers, reserves and installs an appliance for a new applicant; the trial starts on `installedOn`. */
export async function installedAppliance(
  api: TestApi,
  programCode: string,
  installedOn: string,
  appliance: Record<string, unknown> = {},
  company: Record<string, unknown> = {},
): Promise<InstalledAppliance> {
  const applicant = await utmApplicant(api, programCode, company);
  const { id: applianceId } = await ok(api, 'POST', '/api/v1/appliances', applianceBody(appliance));
  await ok(api, 'POST', `/api/v1/appliances/${applianceId}/reserve`, {
    enrollmentId: applicant.enrollmentId,
    siteId: applicant.siteId,
  });
  const installed = await ok(api, 'POST', `/api/v1/appliances/${applianceId}/install`, {
    installedOn,
  });
  return {
    ...applicant,
    applianceId,
    trialId: installed.trial.id,
    endsOn: installed.trial.endsOn,
    jobId: installed.jobId,
  };
}
