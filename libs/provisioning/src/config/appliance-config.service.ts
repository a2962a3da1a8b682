import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { ApplianceEntity, applianceNotFound } from '@app/inventory';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import {
  checkConfigVariables,
  type ConfigVariables,
  defaultConfigVariables,
  mergeConfigVariables,
} from '../plan/config-variables';
import { type RenderedConfig, renderApplianceConfig } from '../plan/fortigate-baseline';
import { canonicalHash, type ConfigTree } from '../plan/fortios-config';
import { lineDiff } from '../plan/line-diff';
import { JobQueue } from '../run/job-queue.service';
import { ProvisioningError } from '../run/provisioning.errors';
import { ApplianceConfigEntity, ConfigRevisionEntity } from './config-records.entity';

export interface ConfigPreview {
  config: string;
  diff: string[];
  hash: string;
  templateVersion: string;
  /** The revision the diff is against, or null before the first push. */
  against: { number: number; hash: string } | null;
}

interface ContextRow {
  context_variables: Partial<ConfigVariables> | null;
  context_company: string | null;
  context_site: string | null;
}

interface ConfigContext {
  defaults: ConfigVariables;
  /** The technician's values only. */
  stored: Partial<ConfigVariables>;
  /** Defaults overlaid with the technician's values: what is rendered. */
  variables: ConfigVariables;
}

/** The sections a template owns, taken out of a device's whole running config. */
export function managedSubset(tree: ConfigTree, sections: readonly string[]): ConfigTree {
  return new Map([...tree].filter(([path]) => sections.includes(path)));
}

export function managedHash(tree: ConfigTree, sections: readonly string[]): string {
  return canonicalHash(managedSubset(tree, sections));
}

/** Template variables, rendering, previews and the revisions devices confirmed. */
@Injectable()
export class ApplianceConfigService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
  ) {}

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
  ): Promise<{ appliance: ApplianceEntity; context: ConfigContext }> {
    const query = this.dataSource
      .getRepository(ApplianceEntity)
      .createQueryBuilder('appliance')
      .select([])
      .addSelect(
        '(SELECT variables FROM appliance_configs WHERE appliance_id = appliance.id)',
        'context_variables',
      )
      .addSelect('(SELECT name FROM companies WHERE id = appliance.company_id)', 'context_company')
      .addSelect('(SELECT address FROM sites WHERE id = appliance.site_id)', 'context_site');
    let appliance: ApplianceEntity;
    let row: ContextRow | undefined;
    if (typeof target === 'string') {
      const { entities, raw } = await query
        .addSelect('appliance')
        .where('appliance.id = :id', { id: target })
        .getRawAndEntities<ContextRow>();
      if (!entities[0]) throw applianceNotFound(target);
      [appliance, row] = [entities[0], raw[0]];
    } else {
      appliance = target;
      row = await query.where('appliance.id = :id', { id: target.id }).getRawOne<ContextRow>();
    }
    const defaults = defaultConfigVariables({
      serial: appliance.serial,
      companyName: row?.context_company ?? null,
      siteAddress: row?.context_site ?? null,
    });
    const stored = row?.context_variables ?? {};
    return {
      appliance,
      context: { defaults, stored, variables: mergeConfigVariables(defaults, stored) },
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

  /** The appliance and its rendered configuration, loaded together (one round trip by id). */
  async renderFor(
    target: string | ApplianceEntity,
  ): Promise<{ appliance: ApplianceEntity; rendered: RenderedConfig }> {
    const { appliance, context } = await this.load(target);
    const problems = checkConfigVariables(context.variables);
    if (problems.length > 0) {
      throw new ProvisioningError(
        'INVALID_CONFIG_VARIABLES',
        'Some configuration values are not allowed',
        problems,
      );
    }
    return { appliance, rendered: renderApplianceConfig(appliance.model, context.variables) };
  }

  async preview(applianceId: string): Promise<ConfigPreview> {
    const rendered = await this.render(applianceId);
    const last = await this.lastRevision(applianceId);
    return {
      config: rendered.text,
      diff: lineDiff(last?.config ?? '', rendered.text),
      hash: rendered.hash,
      templateVersion: rendered.templateVersion,
      against: last ? { number: last.number, hash: last.hash } : null,
    };
  }

  async push(actor: Actor, applianceId: string): Promise<string> {
    await this.render(applianceId);
    return this.dataSource.transaction(async (manager) => {
      const job = await this.jobs.enqueue(manager, {
        kind: 'config_push',
        targetType: 'appliance',
        targetId: applianceId,
        payload: { reason: 'requested' },
        requestedBy: actor,
      });
      return job.id;
    });
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
   * revision. One statement; numbers are per appliance and never reused (the unique (appliance,
   * number) index would refuse a racing twin, which only an overlapping push of the same appliance
   * could be, and those never overlap).
   */
  async recordConfirmed(
    applianceId: string,
    observedHash: string,
    rendered: RenderedConfig,
    pushedBy: string,
    jobId: string | null,
  ): Promise<{ number: number; created: boolean }> {
    const [row] = await this.dataSource.query<Array<{ number: number; created: boolean }>>(
      `WITH observed AS (
         INSERT INTO appliance_configs (appliance_id, variables, observed_hash, observed_at) VALUES ($1, '{}', $2, now())
         ON CONFLICT (appliance_id) DO UPDATE SET observed_hash = EXCLUDED.observed_hash, observed_at = EXCLUDED.observed_at
       ), last AS (
         SELECT number, hash FROM config_revisions WHERE appliance_id = $1 ORDER BY number DESC LIMIT 1
       ), created AS (
         INSERT INTO config_revisions (appliance_id, number, template_version, hash, config, pushed_by, job_id)
         SELECT $1, COALESCE((SELECT number FROM last), 0) + 1, $3, $4, $5, $6, $7
          WHERE NOT EXISTS (SELECT 1 FROM last WHERE hash = $4)
         RETURNING number
       )
       SELECT COALESCE((SELECT number FROM created), (SELECT number FROM last)) AS number,
              EXISTS (SELECT 1 FROM created) AS created`,
      [
        applianceId,
        observedHash,
        rendered.templateVersion,
        rendered.hash,
        rendered.text,
        pushedBy,
        jobId,
      ],
    );
    return row;
  }

  async recordObserved(applianceId: string, hash: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO appliance_configs (appliance_id, variables, observed_hash, observed_at) VALUES ($1, '{}', $2, $3)
       ON CONFLICT (appliance_id) DO UPDATE SET observed_hash = EXCLUDED.observed_hash, observed_at = EXCLUDED.observed_at`,
      [applianceId, hash, at],
    );
  }
}
