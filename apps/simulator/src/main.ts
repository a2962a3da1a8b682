import { startSimulator, type SimulatorOptions } from './simulator';

const USAGE =
  'usage: main.js [--appliances N] [--base-port P] [--edr-token T] [--seed S] [--shard I/N]\n' +
  '               [--exec-output echo|prompt|none] [--login-banner] [--factory-default]\n' +
  '               [--legacy-performance] [--ends-session-after-password-change] [--relay-socket PATH]';

/** Flags that take no value, and what they set. */
const SWITCHES: Record<string, (options: SimulatorOptions) => void> = {
  '--login-banner': (o) => (o.behaviour = { ...o.behaviour, loginBanner: true }),
  '--legacy-performance': (o) => (o.behaviour = { ...o.behaviour, performanceFormat: 'legacy' }),
  '--ends-session-after-password-change': (o) =>
    (o.behaviour = { ...o.behaviour, endsSessionAfterPasswordChange: true }),
  '--factory-default': (o) => (o.factoryDefault = true),
};

function parseArgs(argv: string[]): SimulatorOptions {
  const options: SimulatorOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (SWITCHES[flag] && inline === undefined) {
      SWITCHES[flag](options);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) {
      throw new Error(`${flag} needs a value`);
    }
    const integer = (min: number): number => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < min) {
        throw new Error(`${flag} must be an integer >= ${min}`);
      }
      return n;
    };
    switch (flag) {
      case '--appliances':
        options.appliances = integer(0);
        break;
      case '--base-port':
        options.basePort = integer(0);
        break;
      case '--edr-token':
        options.edrToken = value;
        break;
      case '--seed':
        options.seed = value;
        break;
      case '--relay-socket':
        options.relaySocket = value;
        break;
      case '--exec-output':
        if (value !== 'echo' && value !== 'prompt' && value !== 'none') {
          throw new Error(`${flag} must be echo, prompt or none`);
        }
        options.behaviour = { ...options.behaviour, execOutput: value };
        break;
      case '--shard': {
        // i/n: the i-th (from 0) of n simulators run side by side.
        const match = /^(\d+)\/(\d+)$/.exec(value);
        const [index, count] = match ? [Number(match[1]), Number(match[2])] : [-1, 0];
        if (!(count >= 1 && index >= 0 && index < count)) {
          throw new Error(`${flag} must be i/n with 0 <= i < n`);
        }
        options.shard = { index, count };
        break;
      }
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  let options: SimulatorOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const log = (line: string): void => {
    process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  };
  const simulator = await startSimulator({ ...options, log });
  // Exactly one line on stdout: whoever started us reads it to find the devices.
  process.stdout.write(`${JSON.stringify(simulator.manifest)}\n`);

  let isStopping = false;
  const shutdown = (signal: string): void => {
    if (isStopping) {
      return;
    }
    isStopping = true;
    log(`simulator: ${signal}, stopping`);
    simulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`simulator: stop failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`simulator failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
