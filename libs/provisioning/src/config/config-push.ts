import { Injectable } from '@nestjs/common';
import type { ApplianceEntity } from '@app/inventory';
import { DeviceSessions } from '../devices/device-sessions.service';
import { AlertService } from '../alerts/alert.service';
import {
  type ConfigTree,
  parseFortiosConfig,
  planConfigChanges,
  runsVdoms,
  unmanagedBaseline,
} from '@app/fortios';
import type { JobRun } from '../run/job-handler';
import { JobFailure } from '../run/provisioning.errors';
import { DeviceError, type DeviceSession } from '../transport/device-driver';
import {
  ApplianceConfigService,
  type ConfirmedRevision,
  parseRunningConfig,
} from './appliance-config.service';

/** Not retried: the template is for units without virtual domains, and such a unit stays one. */
function vdomsRefused(appliance: ApplianceEntity, linesSent: number): JobFailure {
  return new JobFailure(
    `${appliance.serial} runs with virtual domains (VDOMs) enabled; the configuration template is for units without them, so nothing ${linesSent > 0 ? 'more ' : ''}was sent`,
    false,
  );
}

/** What the plan starts from: the device as just read, or the revision it was last seen running. */
type PlanBase = { from: 'device' } | { from: 'revision'; number: number };

/** A change that went out and whose answer was lost with the session (or never came in time). */
function isCutOff(error: unknown): error is DeviceError {
  return (
    error instanceof DeviceError &&
    (error.code === 'UNREACHABLE' || error.code === 'TIMEOUT') &&
    error.details?.sent !== false
  );
}

/**
 * Desired-state push: plan the difference inside the template's sections, apply it, read it back,
 * and record a revision only when the device shows exactly what was rendered. Nothing differs →
 * nothing is sent, so a repeated push is a no-op; a retry after a crash re-plans from what the
 * device then holds.
 *
 * The plan starts from the device's running config, read first, unless the device was last seen
 * running a revision we pushed and no poll has seen drift since: then it starts from that revision,
 * and the change with its read-back is the session's only command. The read-back checks the guess.
 * A device changed in the meantime gets the lines that still differ, planned from what it showed;
 * one that refuses a line planned from the revision is read and planned again.
 *
 * A change cut off before its read-back came (the session lost, the unit silent) may have landed:
 * the device is read again, on a new session if need be, and what still differs is sent. A push
 * is never left half-done: it ends when the device shows the rendered config, or fails to be
 * retried.
 */
@Injectable()
export class ConfigPush {
  constructor(
    private readonly configs: ApplianceConfigService,
    private readonly sessions: DeviceSessions,
    private readonly alerts: AlertService,
  ) {}

  async run(run: JobRun): Promise<Record<string, unknown>> {
    const { appliance, template, variables, confirmed } = await this.configs.pushContext(
      run.job.targetId,
    );
    // Nothing reads the device first, so the cancel check (and its progress line) rides with the connect.
    const checked = confirmed
      ? run.checkpoint(
          `connecting to ${appliance.serial}, last seen running revision ${confirmed.number}`,
        )
      : null;
    checked?.catch(() => undefined);
    try {
      // The handshake is a push's longest wait, so it starts first: the config is rendered and
      // planned once the session is open, while the handshakes of a bulk push's others go on.
      return await this.sessions.withSession(appliance, async (session) => {
        await checked;
        const rendered = template(variables);
        const plan = (tree: ConfigTree): string[] =>
          planConfigChanges(tree, rendered.tree, rendered.managedSections);
        const guess = confirmed ? this.planFromRevision(confirmed, plan) : null;
        let base: PlanBase = { from: 'device' };
        let commands: string[];
        // The device's whole config as last read: what it runs outside the template's sections
        // becomes the baseline of unmanaged drift once the push is confirmed.
        let seen: ConfigTree | null = null;
        const readDevice = async (linesSent: number): Promise<ConfigTree> => {
          seen = await this.readDevice(run, session, appliance, linesSent);
          return seen;
        };
        if (guess) {
          run.log(
            `planning from revision ${guess.base.number}, which ${appliance.serial} was last seen running`,
          );
          ({ base, commands } = guess);
        } else {
          commands = plan(await readDevice(0));
        }
        let linesSent = 0;
        while (commands.length > 0) {
          await run.proceed(
            `sending ${commands.length} configuration lines (template ${rendered.templateVersion})`,
          );
          linesSent += commands.length;
          let applied: { runningConfig?: string };
          try {
            applied = await session.applyCommands(commands, { readBack: true });
          } catch (error) {
            const isRefusedGuess =
              base.from === 'revision' &&
              error instanceof DeviceError &&
              error.code === 'CLI_ERROR';
            if (!isRefusedGuess && !isCutOff(error)) throw error;
            run.log(
              isRefusedGuess
                ? `${error.message}; reading the device and planning again`
                : `${error.message}; the change may have landed: reading the device again`,
              'warn',
            );
            base = { from: 'device' };
            commands = plan(await readDevice(linesSent));
            continue;
          }
          // The read-back rides with the change; a driver that cannot do that reads separately.
          const current = parseRunningConfig(
            applied.runningConfig ?? (await session.runningConfig()),
            ' back after the change',
          );
          if (runsVdoms(current)) throw vdomsRefused(appliance, linesSent);
          seen = current;
          const remaining = plan(current);
          if (remaining.length > 0 && base.from === 'revision') {
            run.log(
              `${appliance.serial} no longer ran revision ${base.number}: ${remaining.length} lines still differ, sending them`,
              'warn',
            );
            base = { from: 'device' };
            commands = remaining;
            continue;
          }
          if (remaining.length > 0) {
            throw new JobFailure(
              `The device did not keep the configuration (${remaining.length} lines still differ, first: ${remaining[0]})`,
              true,
            );
          }
          break;
        }
        if (linesSent === 0) run.log('the device already runs this configuration; nothing sent');
        // Every way out of the loop read the device: a read-back, or a read that left nothing to send.
        const running: ConfigTree = seen ?? (await readDevice(linesSent));
        const revision = await this.configs.recordConfirmed({
          applianceId: appliance.id,
          rendered,
          variables,
          unmanaged: unmanagedBaseline(running, rendered.managedSections),
          pushedBy: run.job.requestedBy,
          jobId: run.job.id,
        });
        if (revision.created) {
          run.log(
            `the device confirmed revision ${revision.number} (${rendered.hash.slice(0, 12)})`,
          );
        }
        if (revision.driftAlertOpen) await this.alerts.resolve('config_drift', appliance.id);
        return {
          linesSent,
          revision: revision.number,
          hash: rendered.hash,
          plannedFrom: guess ? `revision ${guess.base.number}` : 'device',
        };
      });
    } catch (error) {
      // A connect that failed first waits for the checkpoint, so the outcome is the job's last write.
      await checked?.catch(() => undefined);
      throw error;
    }
  }

  /**
   * The change planned from the revision, or null when there is none to send: a device that should
   * already match is read to make sure, as a read-back would have done.
   */
  private planFromRevision(
    confirmed: ConfirmedRevision,
    plan: (tree: ConfigTree) => string[],
  ): { base: { from: 'revision'; number: number }; commands: string[] } | null {
    let commands: string[];
    try {
      commands = plan(parseFortiosConfig(confirmed.config));
    } catch {
      // A revision this version cannot read or plan from: the device is read instead.
      return null;
    }
    return commands.length > 0
      ? { base: { from: 'revision', number: confirmed.number }, commands }
      : null;
  }

  /** The running config, read with the job's cancel check alongside; VDOM units are refused. */
  private async readDevice(
    run: JobRun,
    session: DeviceSession,
    appliance: ApplianceEntity,
    linesSent: number,
  ): Promise<ConfigTree> {
    const [running] = await Promise.all([
      session.runningConfig(),
      run.checkpoint(`connected to ${appliance.serial}; reading its running configuration`),
    ]);
    const observed = parseRunningConfig(running);
    if (runsVdoms(observed)) throw vdomsRefused(appliance, linesSent);
    return observed;
  }
}
