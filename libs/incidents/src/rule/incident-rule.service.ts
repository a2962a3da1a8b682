import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { IncidentError } from '../incidents.errors';
import { IncidentRuleEntity } from './incident-rule.entity';
import { type IncidentRule, type RuleMatchFields, ruleProblems } from './rule-match';

export type IncidentRuleChange = Partial<RuleMatchFields> & { description?: string };

function toRule(row: IncidentRuleEntity): IncidentRule {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    sources: row.sources,
    categories: row.categories,
    minSeverity: row.minSeverity,
    stopped: row.stopped,
    vendorCategories: row.vendorCategories,
    incidentSeverity: row.incidentSeverity,
  };
}

/** The rule set is data: seeded by migration, read by `consider`, changed by an admin. */
@Injectable()
export class IncidentRuleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<IncidentRuleEntity[]> {
    return this.dataSource
      .getRepository(IncidentRuleEntity)
      .find({ order: { createdAt: 'ASC', name: 'ASC' } });
  }

  /** The enabled rules, read in the caller's transaction so one batch is judged by one rule set. */
  async enabled(manager: EntityManager): Promise<IncidentRule[]> {
    const rows = await manager.find(IncidentRuleEntity, {
      where: { enabled: true },
      order: { createdAt: 'ASC', name: 'ASC' },
    });
    return rows.map(toRule);
  }

  update(actor: Actor, id: string, change: IncidentRuleChange): Promise<IncidentRuleEntity> {
    return this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(IncidentRuleEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row) {
        throw new IncidentError('INCIDENT_RULE_NOT_FOUND', `No incident rule with id ${id}`);
      }
      const before = { ...row };
      const next = { ...toRule(row), ...change };
      const problems = ruleProblems(next);
      if (problems.length > 0) {
        throw new IncidentError('INVALID_INCIDENT_RULE', 'The rule is not valid', problems);
      }
      Object.assign(row, {
        enabled: next.enabled,
        sources: next.sources,
        categories: next.categories,
        minSeverity: next.minSeverity,
        stopped: next.stopped,
        vendorCategories: next.vendorCategories.map((label) => label.trim()),
        incidentSeverity: next.incidentSeverity,
        description: change.description ?? row.description,
      });
      const saved = await manager.save(row);
      await this.audit.record(manager, actor, {
        action: 'incident_rule.update',
        entityType: 'incident_rule',
        entityId: id,
        before,
        after: saved,
      });
      return saved;
    });
  }
}
