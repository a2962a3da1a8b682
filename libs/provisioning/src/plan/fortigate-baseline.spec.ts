import { ProvisioningError } from '../run/provisioning.errors';
import { defaultConfigVariables } from './config-variables';
import { configTemplateFor, FORTIGATE_BASELINE_VERSION } from './fortigate-baseline';

const variables = defaultConfigVariables({
  serial: 'FGT60F0001',
  companyName: '株式会社サンプル',
  siteAddress: null,
});

describe('configTemplateFor', () => {
  it.each<[string, string, string | undefined]>([
    ['the current version by default', 'FortiGate-60F', undefined],
    ['the current version by name', 'FortiGate-60F', FORTIGATE_BASELINE_VERSION],
    ['any FortiGate model, any case', 'fortigate-100F', FORTIGATE_BASELINE_VERSION],
  ])('renders %s', async (_case, model, version) => {
    expect(configTemplateFor(model, version)(variables).templateVersion).toBe(
      FORTIGATE_BASELINE_VERSION,
    );
  });

  it.each<[string, string]>([
    ['a version this build no longer ships', 'fortigate-baseline/1'],
    ['a version it never shipped', 'fortigate-baseline/99'],
    ['another family', 'paloalto-baseline/2'],
  ])('refuses %s with TEMPLATE_VERSION_UNAVAILABLE', async (_case, version) => {
    let thrown: unknown;
    try {
      configTemplateFor('FortiGate-60F', version);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProvisioningError);
    expect(thrown).toMatchObject({
      code: 'TEMPLATE_VERSION_UNAVAILABLE',
      details: { templateVersion: version, available: [FORTIGATE_BASELINE_VERSION] },
    });
  });

  it('knows no template for another vendor', async () => {
    expect(() => configTemplateFor('PA-440')).toThrow('No configuration template for model PA-440');
  });
});
