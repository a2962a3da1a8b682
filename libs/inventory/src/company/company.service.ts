import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { keysetPage, type Page, type PageRequest, uniqueViolation } from '@app/persistence';
import { InventoryError } from '../inventory.errors';
import type { Course } from '../program/course';
import { locateSite } from '../address/tokyo-address';
import { CompanyEntity } from './company.entity';
import { assessEligibilityUnder, FY2024_ELIGIBILITY_RULES } from './programme-eligibility-rules';
import type { Attestations, Industry } from './sme-eligibility';

export interface CompanyInput {
  name: string;
  corporateNumber?: string | null;
  industry: Industry;
  capitalYen: number | null;
  employees: number;
  soleProprietor: boolean;
  headOffice: { postalCode: string; address: string };
  priorSupport: Course[];
  usesEquivalentTokyoSubsidy: boolean;
  attestations: Attestations;
  /** Whom the monthly report is mailed to. */
  contact?: { name: string | null; email: string | null };
}

@Injectable()
export class CompanyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: CompanyInput): Promise<CompanyEntity> {
    const headOffice = locateSite(input.headOffice.postalCode, input.headOffice.address);
    if (!headOffice.ok) {
      throw new InventoryError(headOffice.problem, `Head office: ${headOffice.message}`, {
        field: 'headOffice',
      });
    }
    const priorSupport = [...new Set(input.priorSupport)];
    // Stored for the lists and the registration answer: judged under the FY2024 guidelines' table
    // and Tokyo. An enrolment judges the profile again under its programme's own rules.
    const eligibility = assessEligibilityUnder(
      {
        industry: input.industry,
        capitalYen: input.capitalYen,
        employees: input.employees,
        headOffice,
        priorSupport,
        usesEquivalentTokyoSubsidy: input.usesEquivalentTokyoSubsidy,
        attestations: input.attestations,
      },
      FY2024_ELIGIBILITY_RULES,
    );
    try {
      return await this.dataSource.transaction(async (manager) => {
        const company = await manager.save(
          manager.create(CompanyEntity, {
            name: input.name,
            corporateNumber: input.corporateNumber ?? null,
            industry: input.industry,
            capitalYen: input.capitalYen,
            employees: input.employees,
            soleProprietor: input.soleProprietor,
            headOfficePostalCode: headOffice.postalCode,
            headOfficeAddress: input.headOffice.address.trim(),
            headOfficePrefecture: headOffice.prefecture,
            priorSupport,
            usesEquivalentTokyoSubsidy: input.usesEquivalentTokyoSubsidy,
            attestations: input.attestations,
            eligibility,
            contactName: input.contact?.name ?? null,
            contactEmail: input.contact?.email ?? null,
          }),
        );
        await this.audit.record(manager, actor, {
          action: 'company.create',
          entityType: 'company',
          entityId: company.id,
          after: company,
        });
        return company;
      });
    } catch (error) {
      if (uniqueViolation(error) === 'uq_companies_corporate_number') {
        throw new InventoryError(
          'DUPLICATE_CORPORATE_NUMBER',
          `A company with corporate number ${input.corporateNumber} is already registered`,
        );
      }
      throw error;
    }
  }

  /** Sets whom the monthly report is mailed to (null fields clear it). */
  async setContact(
    actor: Actor,
    id: string,
    contact: { name: string | null; email: string | null },
  ): Promise<CompanyEntity> {
    return this.dataSource.transaction(async (manager) => {
      const company = await manager.findOne(CompanyEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!company) throw new InventoryError('COMPANY_NOT_FOUND', `No company with id ${id}`);
      const before = { name: company.contactName, email: company.contactEmail };
      company.contactName = contact.name;
      company.contactEmail = contact.email;
      const saved = await manager.save(company);
      await this.audit.record(manager, actor, {
        action: 'company.set_contact',
        entityType: 'company',
        entityId: id,
        before,
        after: contact,
      });
      return saved;
    });
  }

  async get(id: string): Promise<CompanyEntity> {
    const company = await this.dataSource.getRepository(CompanyEntity).findOne({ where: { id } });
    if (!company) throw new InventoryError('COMPANY_NOT_FOUND', `No company with id ${id}`);
    return company;
  }

  /** The names of the companies with these ids, in one read; an unknown id is absent. */
  async namesOf(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const companies = await this.dataSource
      .getRepository(CompanyEntity)
      .find({ select: { id: true, name: true }, where: { id: In([...ids]) } });
    return new Map(companies.map((company) => [company.id, company.name]));
  }

  /** `name`: the companies whose name contains it, any case (the console's pick lists). */
  list(
    filter: { eligible?: boolean; name?: string; ids?: readonly string[] },
    page: PageRequest,
  ): Promise<Page<CompanyEntity>> {
    const query = this.dataSource.getRepository(CompanyEntity).createQueryBuilder('company');
    if (filter.ids !== undefined) query.andWhere('company.id = ANY(:ids)', { ids: filter.ids });
    if (filter.eligible !== undefined) {
      query.andWhere(`(company.eligibility ->> 'eligible')::boolean = :eligible`, {
        eligible: filter.eligible,
      });
    }
    if (filter.name !== undefined) {
      // The text is matched literally: LIKE's own wildcards in it are escaped.
      query.andWhere(`company.name ILIKE :name ESCAPE '\\'`, {
        name: `%${filter.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    return keysetPage(query, page);
  }
}
