import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { EventPublisher, type EventType } from '@app/events';
import { inTransaction, keysetPage, type Page, type PageRequest } from '@app/persistence';
import { ApplianceService } from '../appliance/appliance.service';
import { addDays, type BusinessDate, tokyoDate } from '../calendar/business-date';
import { Clock } from '../calendar/clock';
import { InventoryError } from '../inventory.errors';
import type { Course } from '../program/course';
import { TrialEntity } from './trial.entity';
import { type TrialEvent, type TrialState, transitionTrial } from './trial-lifecycle';

export interface TrialFilter {
  state?: TrialState;
  course?: Exclude<Course, 'management'>;
  companyId?: string;
  /** Active trials whose last day is within this many days from today. */
  endingWithinDays?: number;
}

export interface Conversion {
  contractNumber: string;
  signedOn: BusinessDate;
}

@Injectable()
export class TrialService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: ApplianceService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {}

  async get(id: string): Promise<TrialEntity> {
    const trial = await this.dataSource.getRepository(TrialEntity).findOne({ where: { id } });
    if (!trial) throw new InventoryError('TRIAL_NOT_FOUND', `No trial with id ${id}`);
    return trial;
  }

  list(filter: TrialFilter, page: PageRequest): Promise<Page<TrialEntity>> {
    const query = this.dataSource.getRepository(TrialEntity).createQueryBuilder('trial');
    if (filter.state) query.andWhere('trial.state = :state', { state: filter.state });
    if (filter.course) query.andWhere('trial.course = :course', { course: filter.course });
    if (filter.companyId) {
      query.andWhere('trial.companyId = :companyId', { companyId: filter.companyId });
    }
    if (filter.endingWithinDays !== undefined) {
      const today = tokyoDate(this.clock.now());
      query.andWhere(`trial.state = 'active'`).andWhere('trial.endsOn BETWEEN :today AND :until', {
        today,
        until: addDays(today, filter.endingWithinDays),
      });
    }
    return keysetPage(query, page);
  }

  async lock(manager: EntityManager, id: string): Promise<TrialEntity> {
    const trial = await manager.findOne(TrialEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!trial) throw new InventoryError('TRIAL_NOT_FOUND', `No trial with id ${id}`);
    return trial;
  }

  /** Applies a lifecycle event to a locked trial; a refused move is 409 TRIAL_NOT_ACTIVE. */
  async move(
    manager: EntityManager,
    actor: Actor,
    trial: TrialEntity,
    event: TrialEvent,
    changes: Partial<TrialEntity> = {},
    reason: string | null = null,
  ): Promise<TrialEntity> {
    const next = transitionTrial(trial.state, event);
    if (!next.allowed) {
      throw new InventoryError('TRIAL_NOT_ACTIVE', next.message, { state: trial.state });
    }
    const before = { ...trial };
    Object.assign(trial, changes, { state: next.to });
    const saved = await manager.save(trial);
    await this.audit.record(manager, actor, {
      action: `trial.${event}`,
      entityType: 'trial',
      entityId: trial.id,
      before,
      after: saved,
      reason,
    });
    const announced: Record<TrialEvent, EventType> = {
      convert: 'trial.converted',
      expire: 'trial.expired',
      decommission: 'trial.decommissioned',
    };
    await this.events.publish(manager, announced[event], {
      trialId: saved.id,
      course: saved.course,
      companyId: saved.companyId,
      applianceId: saved.applianceId,
      endsOn: saved.endsOn,
      contractNumber: saved.contractNumber,
    });
    return saved;
  }

  /**
   * Sales turns the trial into a vendor contract: the appliance stays, now under contract. The trial
   * row lock makes this and the trial-end sweep exclusive: whichever locks first wins.
   */
  convert(
    actor: Actor,
    id: string,
    conversion: Conversion,
    manager?: EntityManager,
  ): Promise<TrialEntity> {
    return inTransaction(this.dataSource, manager, async (tx) => {
      const trial = await this.lock(tx, id);
      const converted = await this.move(tx, actor, trial, 'convert', {
        contractNumber: conversion.contractNumber,
        signedOn: conversion.signedOn,
        convertedAt: this.clock.now(),
      });
      if (converted.applianceId) {
        const appliance = await this.appliances.lock(tx, converted.applianceId);
        await this.appliances.move(tx, actor, appliance, 'convert', {
          reason: `contract ${conversion.contractNumber}`,
        });
      }
      return converted;
    });
  }
}
