import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import { ApplianceService } from '../appliance/appliance.service';
import { Clock } from '../calendar/clock';
import { InventoryError } from '../inventory.errors';
import { WorkOrderEntity, type WorkOrderKind, type WorkOrderState } from './work-order.entity';

export interface WorkOrderFilter {
  kind?: WorkOrderKind;
  state?: WorkOrderState;
  companyId?: string;
  applianceId?: string;
  scheduledFrom?: string;
  scheduledTo?: string;
}

@Injectable()
export class WorkOrderService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: ApplianceService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  list(filter: WorkOrderFilter, page: PageRequest): Promise<Page<WorkOrderEntity>> {
    const query = this.dataSource.getRepository(WorkOrderEntity).createQueryBuilder('order');
    if (filter.kind) query.andWhere('order.kind = :kind', filter);
    if (filter.state) query.andWhere('order.state = :state', filter);
    if (filter.companyId) query.andWhere('order.companyId = :companyId', filter);
    if (filter.applianceId) query.andWhere('order.applianceId = :applianceId', filter);
    if (filter.scheduledFrom) query.andWhere('order.scheduledOn >= :scheduledFrom', filter);
    if (filter.scheduledTo) query.andWhere('order.scheduledOn <= :scheduledTo', filter);
    return keysetPage(query, page);
  }

  async get(id: string): Promise<WorkOrderEntity> {
    const order = await this.dataSource.getRepository(WorkOrderEntity).findOne({ where: { id } });
    if (!order) throw new InventoryError('WORK_ORDER_NOT_FOUND', `No work order with id ${id}`);
    return order;
  }

  /** The technician reports the visit done; a removal visit moves the appliance to `removed`. */
  complete(
    actor: Actor,
    id: string,
    input: { technician?: string | null; notes?: string | null },
  ): Promise<WorkOrderEntity> {
    return this.dataSource.transaction(async (manager) => {
      const order = await manager.findOne(WorkOrderEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!order) throw new InventoryError('WORK_ORDER_NOT_FOUND', `No work order with id ${id}`);
      if (order.state !== 'scheduled') {
        throw new InventoryError('WORK_ORDER_NOT_SCHEDULED', `The work order is ${order.state}`);
      }
      const before = { ...order };
      if (order.kind === 'removal') {
        const appliance = await this.appliances.lock(manager, order.applianceId);
        await this.appliances.move(manager, actor, appliance, 'complete_removal', {
          reason: `removal visit ${order.id}`,
          changes: { companyId: null, siteId: null },
        });
      }
      Object.assign(order, {
        state: 'completed',
        completedAt: this.clock.now(),
        technician: input.technician ?? order.technician ?? actor.name,
        notes: input.notes ?? order.notes,
      });
      const saved = await manager.save(order);
      await this.audit.record(manager, actor, {
        action: 'work_order.complete',
        entityType: 'work_order',
        entityId: id,
        before,
        after: saved,
      });
      return saved;
    });
  }
}
