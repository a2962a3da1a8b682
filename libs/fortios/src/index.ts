// Public API of @app/fortios: what we know of FortiOS as text, with no I/O. Its configuration
// model, parser and planner, the baseline template, drift rules, and the CLI's output and prompts.
// The CLI interpreter the simulator and tests play a unit with is in `@app/fortios/testing`.

export {
  canonicalHash,
  type ConfigSection,
  type ConfigSettings,
  type ConfigTree,
  FortiosConfigParseError,
  parseFortiosConfig,
  renderFortiosConfig,
  type SettingsSection,
  type TableSection,
} from './config/fortios-config';
export { ConfigPlanError, planConfigChanges, runsVdoms } from './config/config-plan';
export { withoutDeviceOwned } from './config/device-owned';
export { lineDiff } from './config/line-diff';
export {
  changedLines,
  comparableConfig,
  describeDrift,
  type DriftFindings,
  type DriftReference,
  findDrift,
  managedHash,
  managedSubset,
  rebaseUnmanaged,
  type UnmanagedBaseline,
  unmanagedBaseline,
  unmanagedHash,
  unmanagedPart,
} from './config/config-drift';
export {
  checkConfigVariables,
  type ConfigVariables,
  defaultConfigVariables,
  type LogForwarding,
  mergeConfigVariables,
  type SecurityProfiles,
  type VariableProblem,
  type WanSettings,
} from './template/config-variables';
export {
  type ConfigTemplate,
  configTemplateFor,
  FORTIGATE_BASELINE_VERSION,
  FORTIGATE_MANAGED_SECTIONS,
  type RenderedConfig,
  renderApplianceConfig,
  templateVersionsFor,
} from './template/fortigate-baseline';
export { changedVariables, type VariableChange } from './template/variable-changes';
export {
  type FortiosLogLine,
  type FortiosLogParse,
  type FortiosLogRefusal,
  isRefusal,
  parseFortiosLogLine,
} from './logs/fortios-log';
export {
  type FortiosPerformance,
  FortiosOutputError,
  type FortiosSystemStatus,
  parseKeyValueLines,
  parsePerformanceStatus,
  parseSystemStatus,
} from './cli/fortios-output';
export {
  BatchOutput,
  type BatchState,
  cleanLine,
  hostnamesSetBy,
  type LoginStep,
  loginStep,
} from './cli/fortios-prompt';
