import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Page, PageRequest } from '@app/persistence';
import { CompanyDetectionsRepository, type DetectionPeriod } from './company-detections.repository';
import type { Detection } from './detection';

/** What the desk and the company see of its detections: UTM events and EDR threats, newest first. */
@Injectable()
export class CompanyDetectionsService {
  private readonly rows: CompanyDetectionsRepository;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.rows = new CompanyDetectionsRepository(dataSource);
  }

  list(companyId: string, period: DetectionPeriod, page: PageRequest): Promise<Page<Detection>> {
    return this.rows.page(companyId, period, page);
  }
}
