// @app/fortios/testing: a FortiOS CLI played in memory, for the device simulator and tests. Not
// for production code, which talks to real units.

export {
  applyCliLines,
  type CliBehaviour,
  type CliLineError,
  type CliLineResult,
  CLI_SET_REJECTED,
  CLI_UNKNOWN_ACTION,
  cliParseError,
  FortiosCliInterpreter,
} from './testing/fortios-cli-interpreter';
