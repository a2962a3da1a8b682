import { type BenchContext, type BenchResult, openBenchContext, printResults } from './harness';
import { enrolmentsBench } from './scenarios/enrolments.bench';
import { trialSweepBench } from './scenarios/trial-sweep.bench';
import { configPushBench } from './scenarios/config-push.bench';
import { healthSweepBench } from './scenarios/health-sweep.bench';
import { healthSweepWorkersBench } from './scenarios/health-sweep-workers.bench';
import { edrSeatsBench } from './scenarios/edr-seats.bench';
import { pushRealSshdBench } from './scenarios/push-real-sshd.bench';
import { syslogIngestBench } from './scenarios/syslog-ingest.bench';
import { apiUnderConsoleBench } from './scenarios/api-under-console.bench';

/**
 * `npm run bench [scenario…]`: each scenario prints its figure beside a bare baseline measured in
 * the same run, as a ratio, because absolute numbers move from machine to machine.
 */
const SCENARIOS: Record<string, (context: BenchContext) => Promise<BenchResult | BenchResult[]>> = {
  enrolments: enrolmentsBench,
  'trial-sweep': trialSweepBench,
  'config-push': configPushBench,
  'health-sweep': healthSweepBench,
  'health-sweep-workers': healthSweepWorkersBench,
  'edr-seats': edrSeatsBench,
  'push-real-sshd': pushRealSshdBench,
  'syslog-ingest': syslogIngestBench,
  'api-under-console': apiUnderConsoleBench,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(SCENARIOS);
  const unknown = names.filter((name) => !SCENARIOS[name]);
  if (unknown.length > 0) {
    console.error(
      `unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`,
    );
    process.exit(2);
  }
  const bench = await openBenchContext();
  const { context } = bench;
  const results: BenchResult[] = [];
  try {
    for (const name of names) {
      console.error(`running ${name}…`);
      results.push(...[await SCENARIOS[name](context)].flat());
      await bench.settle();
    }
  } finally {
    await bench.close();
  }
  printResults(results);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
