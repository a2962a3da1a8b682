import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { type ApplianceEntity, ApplianceService, CompanyEntity, SiteEntity } from '@app/inventory';
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
    private readonly appliances: ApplianceService,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
  ) {}

  /** The effective variables: defaults from the appliance, its company and site, then the technician's values. */
  async variables(target: string | ApplianceEntity): Promise<ConfigVariables> {
    const applianceId = typeof target === 'string' ? target : target.id;
    const stored = await this.dataSource
      .getRepository(ApplianceConfigEntity)
      .findOne({ where: { applianceId } });
    return mergeConfigVariables(await this.defaults(target), stored?.variables ?? {});
  }

  /** Saves the technician's values; refuses any that could break out of the CLI, before anything is sent. */
  async setVariables(
    actor: Actor,
    applianceId: string,
    overrides: Partial<ConfigVariables>,
  ): Promise<ConfigVariables> {
    const appliance = await this.appliances.get(applianceId);
    const current = await this.dataSource
      .getRepository(ApplianceConfigEntity)
      .findOne({ where: { applianceId } });
    const stored = { ...(current?.variables ?? {}), ...overrides };
    const effective = mergeConfigVariables(await this.defaults(applianceId), stored);
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
        before: current?.variables ?? {},
        after: stored,
      });
    });
    return effective;
  }

  private async defaults(target: string | ApplianceEntity): Promise<ConfigVariables> {
    const appliance = typeof target === 'string' ? await this.appliances.get(target) : target;
    const [company, site] = await Promise.all([
      appliance.companyId
        ? this.dataSource
            .getRepository(CompanyEntity)
            .findOne({ where: { id: appliance.companyId } })
        : null,
      appliance.siteId
        ? this.dataSource.getRepository(SiteEntity).findOne({ where: { id: appliance.siteId } })
        : null,
    ]);
    return defaultConfigVariables({
      serial: appliance.serial,
      companyName: company?.name ?? null,
      siteAddress: site?.address ?? null,
    });
  }

  /** Renders for an appliance; pass the loaded entity when you have it, to spare the lookups. */
  async render(target: string | ApplianceEntity): Promise<RenderedConfig> {
    const appliance = typeof target === 'string' ? await this.appliances.get(target) : target;
    const variables = await this.variables(appliance);
    const problems = checkConfigVariables(variables);
    if (problems.length > 0) {
      throw new ProvisioningError(
        'INVALID_CONFIG_VARIABLES',
        'Some configuration values are not allowed',
        problems,
      );
    }
    return renderApplianceConfig(appliance.model, variables);
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

  /** Records what the device confirmed; numbers are per appliance and never reused. */
  async recordRevision(
    manager: EntityManager,
    applianceId: string,
    rendered: RenderedConfig,
    pushedBy: string,
    jobId: string | null,
  ): Promise<ConfigRevisionEntity> {
    // One statement takes the next number; the unique (appliance, number) index refuses a racing
    // twin, which only another push of the same appliance could be (and those never overlap).
    const rows = await manager.query<Array<{ id: string }>>(
      `INSERT INTO config_revisions (appliance_id, number, template_version, hash, config, pushed_by, job_id)
       SELECT $1, COALESCE(max(number), 0) + 1, $2, $3, $4, $5, $6 FROM config_revisions WHERE appliance_id = $1
       RETURNING id`,
      [applianceId, rendered.templateVersion, rendered.hash, rendered.text, pushedBy, jobId],
    );
    return manager.findOneByOrFail(ConfigRevisionEntity, { id: rows[0].id });
  }

  async recordObserved(applianceId: string, hash: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO appliance_configs (appliance_id, variables, observed_hash, observed_at) VALUES ($1, '{}', $2, $3)
       ON CONFLICT (appliance_id) DO UPDATE SET observed_hash = EXCLUDED.observed_hash, observed_at = EXCLUDED.observed_at`,
      [applianceId, hash, at],
    );
  }
}
