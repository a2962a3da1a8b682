import { defaultConfigVariables } from './config-variables';
import {
  configTemplateFor,
  FORTIGATE_BASELINE_VERSION,
  templateVersionsFor,
} from './fortigate-baseline';

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
  ])('does not list %s among the versions it renders', async (_case, version) => {
    expect(templateVersionsFor('FortiGate-60F')).toEqual([FORTIGATE_BASELINE_VERSION]);
    expect(templateVersionsFor('FortiGate-60F')).not.toContain(version);
    expect(() => configTemplateFor('FortiGate-60F', version)).toThrow(`No template ${version}`);
  });

  it('knows no template for another vendor', async () => {
    expect(templateVersionsFor('PA-440')).toEqual([]);
    expect(() => configTemplateFor('PA-440')).toThrow('No configuration template for model PA-440');
  });
});
