import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { inTransaction, uniqueViolation } from '@app/persistence';
import { ApplianceEntity } from '../appliance/appliance.entity';
import { HELD_BY_COMPANY } from '../appliance/appliance-lifecycle';
import { ApplianceService } from '../appliance/appliance.service';
import { type BusinessDate, tokyoDate } from '../calendar/business-date';
import { isBusinessDay, nextBusinessDay } from '../calendar/business-days';
import { Clock } from '../calendar/clock';
import { EnrollmentEntity } from '../enrollment/enrollment.entity';
import { recordSupportBegan } from '../enrollment/support-began';
import { InventoryError } from '../inventory.errors';
import { ProgramEntity } from '../program/program.entity';
import { SiteEntity } from '../site/site.entity';
import { trialEndsOn } from '../trial/trial-dates';
import { TrialEntity } from '../trial/trial.entity';
import { WorkOrderEntity } from '../work-order/work-order.entity';
import { WorkOrderService } from '../work-order/work-order.service';
import {
  type InstallationChecklist,
  uncheckedItems,
} from '../work-order/installation-checklist-rules';
import { checkReservation } from './reservation-rules';

export interface ReservationInput {
  enrollmentId: string;
  siteId: string;
  /** The installation visit; default the next business day. */
  installOn?: BusinessDate;
  technician?: string | null;
}

export interface InstallationInput {
  /** The trial starts on this date; default today (Asia/Tokyo). */
  installedOn?: BusinessDate;
  /** What the technician checked on site; when given, every box must be ticked. */
  checklist?: InstallationChecklist | null;
}

export interface Installation {
  appliance: ApplianceEntity;
  trial: TrialEntity;
}

/** What an enrolment has been lent, locked: its trial (UTM or EDR) and its appliance. */
export interface Loan {
  trial: TrialEntity | null;
  appliance: ApplianceEntity | null;
}

/** Lending an appliance: reservation for a company's site, then installation, which starts the trial. */
@Injectable()
export class LoanService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: ApplianceService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly workOrders: WorkOrderService,
  ) {}

  async reserve(
    actor: Actor,
    applianceId: string,
    input: ReservationInput,
  ): Promise<ApplianceEntity> {
    const today = tokyoDate(this.clock.now());
    const installOn = input.installOn ?? nextBusinessDay(today);
    if (!isBusinessDay(installOn)) {
      throw new InventoryError(
        'NOT_A_BUSINESS_DAY',
        `${installOn} is not a business day (weekend or national holiday)`,
      );
    }
    try {
      return await this.dataSource.transaction(async (manager) => {
        const appliance = await this.appliances.lock(manager, applianceId);
        const enrollment = await manager.findOne(EnrollmentEntity, {
          where: { id: input.enrollmentId },
          relations: { program: true },
        });
        const site = await manager.findOne(SiteEntity, { where: { id: input.siteId } });
        const held = enrollment
          ? await manager.exists(ApplianceEntity, {
              where: { companyId: enrollment.companyId, state: In([...HELD_BY_COMPANY]) },
            })
          : false;
        const refusal = checkReservation({
          appliance,
          enrollment: enrollment && {
            ...enrollment,
            programCode: enrollment.program!.code,
            programKind: enrollment.program!.kind,
            siteRegion: enrollment.program!.siteRegion,
          },
          site,
          companyHoldsAppliance: held,
        });
        if (refusal) throw new InventoryError(refusal.code, refusal.message);
        const reserved = await this.appliances.move(manager, actor, appliance, 'reserve', {
          changes: {
            companyId: enrollment!.companyId,
            siteId: site!.id,
            enrollmentId: enrollment!.id,
          },
        });
        await this.workOrders.bookInstallation(manager, actor, {
          applianceId: reserved.id,
          companyId: enrollment!.companyId,
          siteId: site!.id,
          enrollmentId: enrollment!.id,
          scheduledOn: installOn,
          technician: input.technician ?? null,
        });
        return reserved;
      });
    } catch (error) {
      if (uniqueViolation(error) === 'uq_appliances_one_per_company') {
        throw new InventoryError(
          'COMPANY_HAS_APPLIANCE',
          'The company already holds an appliance (one per company)',
        );
      }
      throw error;
    }
  }

  /**
   * Installation starts the trial: it runs from the install date for the programme's trial months.
   * It completes the installation visit, which keeps the technician's checklist.
   */
  install(
    actor: Actor,
    applianceId: string,
    input: InstallationInput,
    manager?: EntityManager,
  ): Promise<Installation> {
    const today = tokyoDate(this.clock.now());
    const startsOn = input.installedOn ?? today;
    if (startsOn > today) {
      throw new InventoryError(
        'INSTALL_DATE_IN_FUTURE',
        `The install date ${startsOn} is after today (${today})`,
      );
    }
    const checklist = input.checklist ?? null;
    const unchecked = checklist ? uncheckedItems(checklist) : [];
    if (unchecked.length > 0) {
      throw new InventoryError(
        'CHECKLIST_INCOMPLETE',
        `The installation checklist is not complete: ${unchecked.join(', ')}`,
        { unchecked },
      );
    }
    return inTransaction(this.dataSource, manager, async (tx) => {
      // The lifecycle refuses anything but a reserved appliance; reservation set its enrolment.
      const installed = await this.appliances.move(
        tx,
        actor,
        await this.appliances.lock(tx, applianceId),
        'install',
      );
      const enrollment = await tx.findOneOrFail(EnrollmentEntity, {
        where: { id: installed.enrollmentId! },
      });
      const program = await tx.findOneOrFail(ProgramEntity, {
        where: { id: enrollment.programId },
      });
      const trial = await tx.save(
        tx.create(TrialEntity, {
          course: 'utm',
          programId: program.id,
          companyId: enrollment.companyId,
          enrollmentId: enrollment.id,
          applianceId: installed.id,
          startsOn,
          endsOn: trialEndsOn(startsOn, program.trialMonths),
          state: 'active',
        }),
      );
      await this.audit.record(tx, actor, {
        action: 'trial.start',
        entityType: 'trial',
        entityId: trial.id,
        after: trial,
      });
      await recordSupportBegan(tx, enrollment.id, startsOn);
      const visit = await tx.findOne(WorkOrderEntity, {
        where: { enrollmentId: enrollment.id, kind: 'installation', state: 'scheduled' },
        lock: { mode: 'pessimistic_write' },
      });
      if (visit) {
        const before = { ...visit };
        Object.assign(visit, { state: 'completed', completedAt: this.clock.now(), checklist });
        const after = await tx.save(visit);
        await this.audit.record(tx, actor, {
          action: 'work_order.complete',
          entityType: 'work_order',
          entityId: visit.id,
          before,
          after,
        });
      }
      return { appliance: installed, trial };
    });
  }

  /**
   * The enrolment's trial and appliance (the one reserved for it or lent under its trial),
   * locked in the order a conversion takes them: trial, then appliance.
   */
  async lockLoan(manager: EntityManager, enrollmentId: string): Promise<Loan> {
    const trial = await manager.findOne(TrialEntity, {
      where: { enrollmentId },
      lock: { mode: 'pessimistic_write' },
    });
    const appliance = await manager.findOne(ApplianceEntity, {
      where: { enrollmentId },
      lock: { mode: 'pessimistic_write' },
    });
    return { trial, appliance };
  }

  /**
   * The company withdrew before its reserved appliance was installed: the appliance goes back to
   * stock and the installation visit is cancelled, in the caller's transaction.
   */
  async releaseReservation(
    manager: EntityManager,
    actor: Actor,
    appliance: ApplianceEntity,
    reason: string,
  ): Promise<ApplianceEntity> {
    const enrollmentId = appliance.enrollmentId;
    const released = await this.appliances.move(manager, actor, appliance, 'release', {
      reason,
      changes: { companyId: null, siteId: null, enrollmentId: null },
    });
    const visit = enrollmentId
      ? await manager.findOne(WorkOrderEntity, {
          where: { enrollmentId, kind: 'installation', state: 'scheduled' },
          lock: { mode: 'pessimistic_write' },
        })
      : null;
    if (visit) {
      const before = { ...visit };
      visit.state = 'cancelled';
      const after = await manager.save(visit);
      await this.audit.record(manager, actor, {
        action: 'work_order.cancel',
        entityType: 'work_order',
        entityId: visit.id,
        before,
        after,
        reason,
      });
    }
    return released;
  }
}
