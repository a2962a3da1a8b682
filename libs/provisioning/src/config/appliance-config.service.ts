import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type ApplianceEntity, applianceNotFound, ApplianceService } from '@app/inventory';
import {
  keysetPage,
  type Page,
  type PageRequest,
  PreparedStatement,
  StatementBatcher,
} from '@app/persistence';
import { alertDedupKey } from '../alerts/alert.service';
import {
  changedVariables,
  checkConfigVariables,
  type ConfigTemplate,
  configTemplateFor,
  templateVersionsFor,
  type ConfigTree,
  type ConfigVariables,
  defaultConfigVariables,
  type DriftReference,
  FORTIGATE_MANAGED_SECTIONS,
  lineDiff,
  mergeConfigVariables,
  parseFortiosConfig,
  rebaseUnmanaged,
  type RenderedConfig,
  type UnmanagedBaseline,
  type VariableChange,
  withoutDeviceOwned,
} from '@app/fortios';
import { JobQueue } from '../run/job-queue.service';
import { ProvisioningError } from '../run/provisioning.errors';
import { DeviceError } from '../transport/device-driver';
import { ApplianceConfigEntity, ConfigRevisionEntity } from './config-records.entity';

export interface ConfigPreview {
  config: string;
  diff: string[];
  hash: string;
  templateVersion: string;
  /** The revision the diff is against, or null before the first push. */
  against: { number: number; hash: string } | null;
}

/** What restoring a revision would push, and which of the appliance's variables it changes. */
export interface ConfigRestorePreview extends ConfigPreview {
  /** The revision restored. */
  revision: number;
  /** The effective variables that differ between now and the revision. */
  variables: VariableChange[];
}

export interface ConfigRestoreRequest {
  jobId: string;
  restoredFrom: number;
}

interface ContextRow {
  context_variables: Partial<ConfigVariables> | null;
  context_confirmed: ConfirmedRevision | null;
}

/** A revision the device was last seen running (its managed sections), as a push may plan from it. */
export interface ConfirmedRevision {
  number: number;
  config: string;
}

/** What the device confirmed after a push, as `recordConfirmed` stores it. */
export interface ConfirmedConfig {
  applianceId: string;
  rendered: RenderedConfig;
  /** What `rendered` was rendered from (the effective values), kept for a restore. */
  variables: ConfigVariables;
  /** What the unit ran outside the template's sections: the baseline of unmanaged drift. */
  unmanaged: UnmanagedBaseline;
  pushedBy: string;
  jobId: string | null;
}

/** What drift is measured against: the last revision, and the unmanaged sections at its push. */
export interface DriftBaseline extends DriftReference {
  revision: { number: number; hash: string; config: string } | null;
}

export interface RecordedRevision {
  number: number;
  /** False when the last revision already was this one (a repeated push). */
  created: boolean;
  /** A config_drift alert is open for the appliance: the confirmed push may resolve it. */
  driftAlertOpen: boolean;
}

interface ConfigContext {
  defaults: ConfigVariables;
  /** The technician's values only. */
  stored: Partial<ConfigVariables>;
  /** Defaults overlaid with the technician's values: what is rendered. */
  variables: ConfigVariables;
}

/** A rendered config as a preview shows it: diffed against the last revision, if any. */
function previewAgainst(
  rendered: RenderedConfig,
  last: ConfigRevisionEntity | null,
): ConfigPreview {
  return {
    config: rendered.text,
    diff: lineDiff(last?.config ?? '', rendered.text),
    hash: rendered.hash,
    templateVersion: rendered.templateVersion,
    against: last ? { number: last.number, hash: last.hash } : null,
  };
}

/**
 * A device's running config as plans and hashes see it: without the settings the device owns. A
 * text the parser cannot read is the device's answer, not a bug here, and reading it again gives
 * the same: UNREADABLE_CONFIG, not retried.
 */
export function parseRunningConfig(text: string, when = ''): ConfigTree {
  try {
    return withoutDeviceOwned(parseFortiosConfig(text));
  } catch (error) {
    throw new DeviceError(
      'UNREADABLE_CONFIG',
      `The device's running configuration could not be read${when}: ${(error as Error).message}`,
    );
  }
}

/**
 * What rendering needs from this library for appliance `a`: the technician's values and the
 * revision whose hash the device last showed, unless a poll has seen drift since. The revision is
 * picked first, so only its config is built into JSON. (Company and site come from inventory.)
 */
const CONTEXT_COLUMNS = `
  (SELECT variables FROM appliance_configs WHERE appliance_id = a.id) AS context_variables,
  (SELECT json_build_object('number', r.number, 'config', r.config)
     FROM (SELECT number, config FROM config_revisions
            WHERE appliance_id = a.id
              AND hash = (SELECT observed_hash FROM appliance_configs WHERE appliance_id = a.id)
            ORDER BY number DESC LIMIT 1) r
    WHERE NOT EXISTS (SELECT 1 FROM appliance_health h WHERE h.appliance_id = a.id AND h.config_drift)
  ) AS context_confirmed`;

/** What recordConfirmed runs, for a batch of confirmed pushes (see there). */
const RECORD_CONFIRMED = `WITH b AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb)
      AS b(appliance_id uuid, template_version text, hash text, config text, variables jsonb,
           unmanaged_hash text, unmanaged_config text, pushed_by text, job_id uuid, drift_key text)
  ), observed AS (
    INSERT INTO appliance_configs (appliance_id, variables, observed_hash, observed_at,
                                   confirmed_unmanaged_hash, confirmed_unmanaged_config)
    SELECT appliance_id, '{}', hash, now(), unmanaged_hash, unmanaged_config FROM b
    ON CONFLICT (appliance_id) DO UPDATE SET observed_hash = EXCLUDED.observed_hash, observed_at = EXCLUDED.observed_at,
      confirmed_unmanaged_hash = EXCLUDED.confirmed_unmanaged_hash, confirmed_unmanaged_config = EXCLUDED.confirmed_unmanaged_config
  ), last AS (
    SELECT b.appliance_id, r.number, r.hash FROM b
      LEFT JOIN LATERAL (SELECT number, hash FROM config_revisions WHERE appliance_id = b.appliance_id
                          ORDER BY number DESC LIMIT 1) r ON true
  ), created AS (
    INSERT INTO config_revisions (appliance_id, number, template_version, hash, config, variables, pushed_by, job_id)
    SELECT b.appliance_id, COALESCE(last.number, 0) + 1, b.template_version, b.hash, b.config, b.variables, b.pushed_by, b.job_id
      FROM b JOIN last USING (appliance_id) WHERE last.hash IS DISTINCT FROM b.hash
    RETURNING appliance_id, number
  )
  SELECT b.appliance_id, COALESCE(created.number, last.number) AS number, created.number IS NOT NULL AS created,
         EXISTS (SELECT 1 FROM alerts WHERE dedup_key = b.drift_key AND state <> 'resolved') AS drift_alert_open
    FROM b JOIN last USING (appliance_id) LEFT JOIN created USING (appliance_id)`;

/** Template variables, rendering, previews and the revisions devices confirmed. */
@Injectable()
export class ApplianceConfigService {
  /** Pushes starting together (a bulk push) load their contexts in one query. */
  private readonly contexts = new StatementBatcher<string, ContextRow | undefined>(async (ids) => {
    const raw = await this.statements.loadContext.run([[...new Set(ids)]]);
    const rows = new Map(raw.map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id));
  });

  /** Confirmed pushes finishing together are recorded in one statement. */
  private readonly confirmations = new StatementBatcher<ConfirmedConfig, RecordedRevision>(
    (confirmed) => this.recordConfirmedBatch(confirmed),
  );

  private readonly statements: {
    loadContext: PreparedStatement<ContextRow & { id: string }>;
    recordConfirmed: PreparedStatement<{
      appliance_id: string;
      number: number;
      created: boolean;
      drift_alert_open: boolean;
    }>;
  };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: ApplianceService,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.statements = {
      loadContext: new PreparedStatement(
        dataSource,
        `SELECT a.id, ${CONTEXT_COLUMNS} FROM unnest($1::uuid[]) AS a(id)`,
      ),
      recordConfirmed: new PreparedStatement(dataSource, RECORD_CONFIRMED),
    };
  }

  /** The effective variables: defaults from the appliance, its company and site, then the technician's values. */
  async variables(target: string | ApplianceEntity): Promise<ConfigVariables> {
    return (await this.load(target)).context.variables;
  }

  /**
   * The appliance and what rendering needs besides it (stored values, company and site defaults),
   * in one round trip; with the entity already loaded, only the rest.
   */
  private async load(
    target: string | ApplianceEntity,
  ): Promise<{ appliance: ApplianceEntity; context: ConfigContext; row: ContextRow | undefined }> {
    // The appliance with its company and site (inventory's) and this library's context, at once;
    // both are batched with the other pushes starting now.
    const [placed, row] = await Promise.all([
      typeof target === 'string'
        ? this.appliances.getPlaced(target)
        : this.appliances.placeOf(target).then((place) => ({ appliance: target, ...place })),
      this.contexts.submit(typeof target === 'string' ? target : target.id),
    ]);
    if (!placed) throw applianceNotFound(target as string);
    const { appliance } = placed;
    const defaults = defaultConfigVariables({
      serial: appliance.serial,
      companyName: placed.companyName,
      siteAddress: placed.siteAddress,
      logIntake: this.config.logIntake.advertisedHost
        ? { host: this.config.logIntake.advertisedHost, port: this.config.logIntake.advertisedPort }
        : null,
    });
    const stored = row?.context_variables ?? {};
    return {
      appliance,
      context: { defaults, stored, variables: mergeConfigVariables(defaults, stored) },
      row,
    };
  }

  /** Saves the technician's values; refuses any that could break out of the CLI, before anything is sent. */
  async setVariables(
    actor: Actor,
    applianceId: string,
    overrides: Partial<ConfigVariables>,
  ): Promise<ConfigVariables> {
    const { appliance, context: current } = await this.load(applianceId);
    const stored = { ...current.stored, ...overrides };
    const effective = mergeConfigVariables(current.defaults, stored);
    const problems = checkConfigVariables(effective);
    if (problems.length > 0) {
      throw new ProvisioningError(
        'INVALID_CONFIG_VARIABLES',
        'Some configuration values are not allowed',
        problems,
      );
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.upsert(
        ApplianceConfigEntity,
        { applianceId: appliance.id, variables: stored },
        ['applianceId'],
      );
      await this.audit.record(manager, actor, {
        action: 'appliance.config_variables',
        entityType: 'appliance',
        entityId: appliance.id,
        before: current.stored,
        after: stored,
      });
    });
    return effective;
  }

  /** Renders for an appliance; pass the loaded entity when you have it, to spare the lookup. */
  async render(target: string | ApplianceEntity): Promise<RenderedConfig> {
    return (await this.renderFor(target)).rendered;
  }

  /**
   * The appliance, its rendered configuration and the revision it was last seen running (null when
   * unknown or drifted), loaded together (one round trip by id).
   */
  async renderFor(target: string | ApplianceEntity): Promise<{
    appliance: ApplianceEntity;
    rendered: RenderedConfig;
    confirmed: ConfirmedRevision | null;
  }> {
    const { appliance, template, variables, confirmed } = await this.pushContext(target);
    return { appliance, rendered: template(variables), confirmed };
  }

  /**
   * What a push needs, checked but not yet rendered: the appliance, its template and variables, and
   * the revision it was last seen running. Values that are not allowed, or a model without a
   * template, fail here, before anything connects to the device.
   */
  async pushContext(target: string | ApplianceEntity): Promise<{
    appliance: ApplianceEntity;
    template: ConfigTemplate;
    variables: ConfigVariables;
    confirmed: ConfirmedRevision | null;
  }> {
    const { appliance, context, row } = await this.load(target);
    const problems = checkConfigVariables(context.variables);
    if (problems.length > 0) {
      throw new ProvisioningError(
        'INVALID_CONFIG_VARIABLES',
        'Some configuration values are not allowed',
        problems,
      );
    }
    return {
      appliance,
      template: configTemplateFor(appliance.model),
      variables: context.variables,
      confirmed: row?.context_confirmed ?? null,
    };
  }

  async preview(applianceId: string): Promise<ConfigPreview> {
    const rendered = await this.render(applianceId);
    return previewAgainst(rendered, await this.lastRevision(applianceId));
  }

  async push(actor: Actor, applianceId: string): Promise<string> {
    await this.render(applianceId);
    const job = await this.jobs.enqueueAlone({
      kind: 'config_push',
      targetType: 'appliance',
      targetId: applianceId,
      payload: { reason: 'requested' },
      requestedBy: actor,
    });
    return job.id;
  }

  /**
   * What restoring revision `number` would push: the revision's variables rendered with its
   * template version, diffed against the last revision, and the variables that would change.
   */
  async restorePreview(applianceId: string, number: number): Promise<ConfigRestorePreview> {
    const { context, template, variables } = await this.restorable(applianceId, number);
    const rendered = template(variables);
    return {
      ...previewAgainst(rendered, await this.lastRevision(applianceId)),
      revision: number,
      variables: changedVariables(context.variables, variables),
    };
  }

  /**
   * Makes revision `number`'s variables the appliance's again and queues their push, with the
   * audit event, in one transaction. The variables stored are the revision's effective values, so
   * the push renders exactly its config and, the last revision being another, records a new one.
   */
  async restore(
    actor: Actor,
    applianceId: string,
    number: number,
    note?: string,
  ): Promise<ConfigRestoreRequest> {
    const { appliance, kept: variables } = await this.restorable(applianceId, number);
    const job = await this.dataSource.transaction(async (manager) => {
      // Read under the row lock, so the audit's "before" is what this restore replaced.
      const [current] = await manager.query<Array<{ variables: Partial<ConfigVariables> }>>(
        `SELECT variables FROM appliance_configs WHERE appliance_id = $1 FOR UPDATE`,
        [appliance.id],
      );
      await manager.upsert(ApplianceConfigEntity, { applianceId: appliance.id, variables }, [
        'applianceId',
      ]);
      await this.audit.record(manager, actor, {
        action: 'appliance.config_restored',
        entityType: 'appliance',
        entityId: appliance.id,
        before: current?.variables ?? {},
        after: variables,
        reason: `restored configuration revision ${number}${note ? `: ${note}` : ''}`,
      });
      return this.jobs.enqueue(manager, {
        kind: 'config_push',
        targetType: 'appliance',
        targetId: appliance.id,
        payload: { reason: 'restore', revision: number },
        requestedBy: actor,
      });
    });
    return { jobId: job.id, restoredFrom: number };
  }

  /**
   * A revision that can be restored, with what rendering it needs: it exists, kept its variables,
   * this build still renders its template version, and its values pass today's checks. Its
   * variables go over today's defaults only so that a variable added since has a value.
   */
  private async restorable(
    applianceId: string,
    number: number,
  ): Promise<{
    appliance: ApplianceEntity;
    context: ConfigContext;
    /** The variables the revision kept, as a restore stores them. */
    kept: ConfigVariables;
    template: ConfigTemplate;
    /** The kept variables over today's defaults: what the template is given. */
    variables: ConfigVariables;
  }> {
    const { appliance, context } = await this.load(applianceId);
    const revision = await this.dataSource
      .getRepository(ConfigRevisionEntity)
      .findOne({ where: { applianceId: appliance.id, number } });
    if (!revision) {
      throw new ProvisioningError(
        'REVISION_NOT_FOUND',
        `Appliance ${appliance.serial} has no configuration revision ${number}`,
        { revision: number },
      );
    }
    if (!revision.variables) {
      throw new ProvisioningError(
        'REVISION_NOT_RESTORABLE',
        `Revision ${number} was recorded before revisions kept their variables, so it cannot be restored`,
        { revision: number },
      );
    }
    const available = templateVersionsFor(appliance.model);
    if (!available.includes(revision.templateVersion)) {
      throw new ProvisioningError(
        'TEMPLATE_VERSION_UNAVAILABLE',
        `This controller no longer renders template ${revision.templateVersion} for ${appliance.model}; it renders ${available.join(', ')}`,
        { templateVersion: revision.templateVersion, available },
      );
    }
    const template = configTemplateFor(appliance.model, revision.templateVersion);
    const variables = mergeConfigVariables(context.defaults, revision.variables);
    const problems = checkConfigVariables(variables);
    if (problems.length > 0) {
      throw new ProvisioningError(
        'REVISION_NOT_RESTORABLE',
        `Revision ${number} has values that are no longer allowed, so it cannot be restored`,
        { revision: number, problems },
      );
    }
    return { appliance, context, kept: revision.variables, template, variables };
  }

  lastRevision(applianceId: string): Promise<ConfigRevisionEntity | null> {
    return this.dataSource
      .getRepository(ConfigRevisionEntity)
      .findOne({ where: { applianceId }, order: { number: 'DESC' } });
  }

  revisions(applianceId: string, page: PageRequest): Promise<Page<ConfigRevisionEntity>> {
    const query = this.dataSource
      .getRepository(ConfigRevisionEntity)
      .createQueryBuilder('revision')
      .where('revision.applianceId = :applianceId', { applianceId });
    return keysetPage(query, page, 'DESC');
  }

  /**
   * After a push the device showed exactly `rendered`: records what it runs (the managed sections'
   * hash, against which polls detect drift) and, unless the last revision already is this one, a new
   * revision. Nothing was left to plan on the device, so its managed sections hold the rendered
   * settings and entries, order aside, and hash as the rendered tree does (config-plan.spec).
   * One statement; numbers are per appliance and never reused (the unique (appliance, number) index
   * would refuse a racing twin, which only an overlapping push of the same appliance could be, and
   * those never overlap). The revision keeps the variables, so that a restore can make them the
   * desired state again; what the unit ran outside the template's sections becomes the baseline of
   * unmanaged drift: a push keeps such changes, and so accepts them.
   */
  recordConfirmed(confirmed: ConfirmedConfig): Promise<RecordedRevision> {
    return this.confirmations.submit(confirmed);
  }

  /** What the appliance's drift is measured against. */
  async driftBaseline(applianceId: string): Promise<DriftBaseline> {
    const [revision, configs] = await Promise.all([
      this.lastRevision(applianceId),
      this.dataSource.getRepository(ApplianceConfigEntity).findOneBy({ applianceId }),
    ]);
    return {
      revision: revision
        ? { number: revision.number, hash: revision.hash, config: revision.config }
        : null,
      unmanaged:
        configs?.confirmedUnmanagedHash && configs.confirmedUnmanagedConfig !== null
          ? { hash: configs.confirmedUnmanagedHash, config: configs.confirmedUnmanagedConfig }
          : null,
    };
  }

  /**
   * Takes `sections` of the unmanaged baseline from what the unit runs now, for a change the
   * controller made there itself (a credential hand-over); other changes by hand stay drift.
   */
  async acceptSections(
    applianceId: string,
    running: ConfigTree,
    sections: readonly string[],
  ): Promise<void> {
    const { unmanaged } = await this.driftBaseline(applianceId);
    if (!unmanaged) return;
    const rebased = rebaseUnmanaged(unmanaged, running, FORTIGATE_MANAGED_SECTIONS, sections);
    await this.dataSource.query(
      `UPDATE appliance_configs SET confirmed_unmanaged_hash = $2, confirmed_unmanaged_config = $3
        WHERE appliance_id = $1`,
      [applianceId, rebased.hash, rebased.config],
    );
  }

  private async recordConfirmedBatch(confirmed: ConfirmedConfig[]): Promise<RecordedRevision[]> {
    const rows = await this.statements.recordConfirmed.run([
      JSON.stringify(
        confirmed.map((c) => ({
          appliance_id: c.applianceId,
          template_version: c.rendered.templateVersion,
          hash: c.rendered.hash,
          config: c.rendered.text,
          variables: c.variables,
          unmanaged_hash: c.unmanaged.hash,
          unmanaged_config: c.unmanaged.config,
          pushed_by: c.pushedBy,
          job_id: c.jobId,
          drift_key: alertDedupKey('config_drift', c.applianceId),
        })),
      ),
    ]);
    const byAppliance = new Map(rows.map((row) => [row.appliance_id, row]));
    return confirmed.map((c) => {
      const row = byAppliance.get(c.applianceId);
      if (!row) throw new Error(`No revision recorded for appliance ${c.applianceId}`);
      return { number: row.number, created: row.created, driftAlertOpen: row.drift_alert_open };
    });
  }

  async recordObserved(applianceId: string, hash: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO appliance_configs (appliance_id, variables, observed_hash, observed_at) VALUES ($1, '{}', $2, $3)
       ON CONFLICT (appliance_id) DO UPDATE SET observed_hash = EXCLUDED.observed_hash, observed_at = EXCLUDED.observed_at`,
      [applianceId, hash, at],
    );
  }
}
