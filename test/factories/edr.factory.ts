import { ok, type TestApi } from '../support/test-api';
import { companyBody, READY_SURVEY } from './inventory.factory';

export interface EdrApplicant {
  companyId: string;
  enrollmentId: string;
}

/** A company with an EDR enrolment and a recorded pre-diagnosis (feasible unless overridden). */
export async function edrApplicant(
  api: TestApi,
  programCode: string,
  survey: Record<string, unknown> = {},
): Promise<EdrApplicant> {
  const { id: companyId } = await ok(api, 'POST', '/api/v1/companies', companyBody());
  const { id: enrollmentId } = await ok(api, 'POST', '/api/v1/enrollments', {
    companyId,
    course: 'edr',
    programCode,
  });
  await ok(api, 'PUT', `/api/v1/enrollments/${enrollmentId}/survey`, {
    ...READY_SURVEY,
    ...survey,
  });
  return { companyId, enrollmentId };
}

export interface EdrTenantFixture extends EdrApplicant {
  tenantId: string;
  vendorTenantId: string;
  trialId: string;
  trialEndsOn: string;
}

/** A new applicant's tenant, created through the API (so at the configured vendor). */
export async function edrTenant(api: TestApi, programCode: string): Promise<EdrTenantFixture> {
  const applicant = await edrApplicant(api, programCode);
  const tenant = await ok(api, 'POST', '/api/v1/edr/tenants', {
    enrollmentId: applicant.enrollmentId,
  });
  return {
    ...applicant,
    tenantId: tenant.id,
    vendorTenantId: tenant.vendorTenantId,
    trialId: tenant.trial.id,
    trialEndsOn: tenant.trial.endsOn,
  };
}

export async function edrUser(api: TestApi, tenantId: string, externalId: string): Promise<string> {
  return (
    await ok(api, 'POST', `/api/v1/edr/tenants/${tenantId}/users`, {
      externalId,
      displayName: `User ${externalId}`,
    })
  ).id;
}

/** Enrols a device; returns its id and the one-time enrolment token. */
export async function edrDevice(
  api: TestApi,
  tenantId: string,
  userId: string,
  hostname: string,
): Promise<{ deviceId: string; token: string }> {
  const device = await ok(api, 'POST', `/api/v1/edr/tenants/${tenantId}/devices`, {
    userId,
    hostname,
    os: 'Windows 11',
  });
  return { deviceId: device.id, token: device.enrollmentToken };
}
