import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import { CompanyEntity } from '../company/company.entity';
import { InventoryError } from '../inventory.errors';
import { SiteEntity } from './site.entity';
import { locateSite } from '../address/tokyo-address';

export interface SiteInput {
  name: string;
  postalCode: string;
  address: string;
}

@Injectable()
export class SiteService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, companyId: string, input: SiteInput): Promise<SiteEntity> {
    const location = locateSite(input.postalCode, input.address);
    if (!location.ok) throw new InventoryError(location.problem, location.message);
    return this.dataSource.transaction(async (manager) => {
      const company = await manager.findOne(CompanyEntity, {
        where: { id: companyId },
        select: { id: true },
      });
      if (!company) {
        throw new InventoryError('COMPANY_NOT_FOUND', `No company with id ${companyId}`);
      }
      const site = await manager.save(
        manager.create(SiteEntity, {
          companyId,
          name: input.name,
          postalCode: location.postalCode,
          address: input.address.trim(),
          prefecture: location.prefecture,
          inTokyo: location.inTokyo,
        }),
      );
      await this.audit.record(manager, actor, {
        action: 'site.create',
        entityType: 'site',
        entityId: site.id,
        after: site,
      });
      return site;
    });
  }

  async get(id: string): Promise<SiteEntity> {
    const site = await this.dataSource.getRepository(SiteEntity).findOne({ where: { id } });
    if (!site) throw new InventoryError('SITE_NOT_FOUND', `No site with id ${id}`);
    return site;
  }

  async listForCompany(companyId: string, page: PageRequest): Promise<Page<SiteEntity>> {
    const exists = await this.dataSource
      .getRepository(CompanyEntity)
      .exists({ where: { id: companyId } });
    if (!exists) throw new InventoryError('COMPANY_NOT_FOUND', `No company with id ${companyId}`);
    const query = this.dataSource
      .getRepository(SiteEntity)
      .createQueryBuilder('site')
      .where('site.companyId = :companyId', { companyId });
    return keysetPage(query, page);
  }
}
