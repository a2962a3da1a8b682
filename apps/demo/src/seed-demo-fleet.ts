import { addDays, addMonthsClamped, tokyoDate } from '@app/inventory';

interface Device {
  serial: string;
  host: string;
  port: number;
  username: string;
  password: string;
  model: string;
}

const COMPANIES = [
  ['株式会社浅草精機', 'manufacturing', '111-0032', '東京都台東区浅草1-2-3'],
  ['有限会社神田書店', 'retail', '101-0051', '東京都千代田区神田神保町2-4-6'],
  ['株式会社品川ロジスティクス', 'transport', '140-0002', '東京都品川区東品川4-12-8'],
  ['合同会社渋谷デザイン', 'services', '150-0002', '東京都渋谷区渋谷2-21-1'],
  ['株式会社八王子建設', 'construction', '192-0083', '東京都八王子市旭町9-1'],
  ['株式会社日本橋商事', 'wholesale', '103-0027', '東京都中央区日本橋1-1-1'],
  ['株式会社立川メディカル', 'services', '190-0012', '東京都立川市曙町2-10-1'],
  ['株式会社新宿ソフト', 'other', '160-0023', '東京都新宿区西新宿1-10-1'],
  ['株式会社大田製作所', 'manufacturing', '144-0051', '東京都大田区西蒲田7-1-1'],
  ['株式会社池袋フーズ', 'retail', '171-0022', '東京都豊島区南池袋1-28-1'],
] as const;

const ATTESTED = {
  taxesPaid: true,
  lawful: true,
  noOverduePaymentsToTokyo: true,
  noInsolvencyProceedings: true,
  notAntisocialOrExcludedBusiness: true,
  notExcludedSalesPractice: true,
  notReligiousOrPolitical: true,
};

const SURVEY = {
  networkLayout: 'ONU → ルーター → 8ポートHUB',
  freeHubPorts: 3,
  existingUtm: false,
  pcCount: 18,
  operatingSystems: ['Windows 11', 'macOS 14'],
  antivirus: true,
  edrInstalled: false,
  securityPolicy: 'draft',
  peripheralsReady: true,
};

/** Seeds through the public API, as a technician and sales would, so the demo exercises the real flows. */
export async function seedDemoFleet(
  url: string,
  token: string,
  simulator: { control: string; appliances: Device[] },
): Promise<string> {
  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> => {
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as T;
    if (response.status >= 300) {
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    }
    return json;
  };
  const today = tokyoDate(new Date());
  await call('POST', '/programs', {
    code: 'demo-fy',
    name: 'デモ年度 中小企業サイバーセキュリティ基本対策事業',
    applicationOpensOn: addDays(today, -120),
    applicationClosesOn: addDays(today, 60),
    trialMonths: 3,
    courses: {
      utm: { capacity: 50 },
      edr: { capacity: 50, maxUsers: 300, maxDevicesPerUser: 5 },
      management: { capacity: 100 },
    },
  });
  let installed = 0;
  for (const [index, [name, industry, postalCode, address]] of COMPANIES.entries()) {
    const company = await call<{ id: string }>('POST', '/companies', {
      name,
      industry,
      capitalYen: 10_000_000 + index * 2_000_000,
      employees: 12 + index * 3,
      soleProprietor: false,
      headOffice: { postalCode, address },
      priorSupport: [],
      usesEquivalentTokyoSubsidy: false,
      attestations: ATTESTED,
    });
    const site = await call<{ id: string }>('POST', `/companies/${company.id}/sites`, {
      name: '本社',
      postalCode,
      address,
    });
    const enrollment = await call<{ id: string }>('POST', '/enrollments', {
      companyId: company.id,
      course: 'utm',
      programCode: 'demo-fy',
    });
    await call('PUT', `/enrollments/${enrollment.id}/survey`, SURVEY);
    const device = simulator.appliances[index];
    const appliance = await call<{ id: string }>('POST', '/appliances', {
      serial: device.serial,
      vendor: 'fortinet',
      model: device.model,
      firmware: 'v7.2.5,build1517',
      management: {
        host: device.host,
        port: device.port,
        username: device.username,
        password: device.password,
      },
    });
    await call('POST', `/appliances/${appliance.id}/reserve`, {
      enrollmentId: enrollment.id,
      siteId: site.id,
    });
    // Spread the installs so some trials end within the month.
    const installedOn = addMonthsClamped(addDays(today, 5 + index * 6), -3);
    const result = await call<{ trial: { id: string } }>(
      'POST',
      `/appliances/${appliance.id}/install`,
      { installedOn: installedOn > today ? today : installedOn },
    );
    installed++;
    if (index === 2) {
      await call('POST', `/trials/${result.trial.id}/convert`, {
        contractNumber: 'FTNT-DEMO-0001',
        signedOn: today,
      });
    }
  }
  // Two of them misbehave, so the desk has something to look at.
  const fault = (serial: string, faults: object): Promise<Response> =>
    fetch(`${simulator.control}/appliances/${serial}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
  await fault(simulator.appliances[4].serial, { offline: true });
  let edr = 'EDR not seeded';
  try {
    const company = await call<{ id: string }>('POST', '/companies', {
      name: '株式会社銀座テック',
      industry: 'services',
      capitalYen: 30_000_000,
      employees: 45,
      soleProprietor: false,
      headOffice: { postalCode: '104-0061', address: '東京都中央区銀座4-1-1' },
      priorSupport: [],
      usesEquivalentTokyoSubsidy: false,
      attestations: ATTESTED,
    });
    const enrollment = await call<{ id: string }>('POST', '/enrollments', {
      companyId: company.id,
      course: 'edr',
      programCode: 'demo-fy',
    });
    await call('PUT', `/enrollments/${enrollment.id}/survey`, SURVEY);
    const tenant = await call<{ id: string }>('POST', '/edr/tenants', {
      enrollmentId: enrollment.id,
    });
    for (let u = 1; u <= 5; u++) {
      const user = await call<{ id: string }>('POST', `/edr/tenants/${tenant.id}/users`, {
        externalId: `user${u}`,
        displayName: `社員${u}`,
      });
      await call('POST', `/edr/tenants/${tenant.id}/devices`, {
        userId: user.id,
        hostname: `ginza-pc-${u}`,
        os: 'Windows 11',
      });
    }
    edr = '1 EDR tenant with 5 users';
  } catch (error) {
    edr = `EDR not seeded (${error instanceof Error ? error.message.slice(0, 80) : String(error)})`;
  }
  return `${installed} installed appliances (1 converted, 1 offline), ${edr}`;
}
