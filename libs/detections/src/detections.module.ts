import { Module } from '@nestjs/common';
import { InventoryModule } from '@app/inventory';
import { CompanyDetectionsService } from './company-detections.service';
import { EdrThreatService } from './edr/edr-threat.service';
import { DetectionCountsService } from './figures/detection-counts.service';
import { DetectionFiguresService } from './figures/monthly-detections.service';
import { UtmIntakeService } from './utm/utm-intake.service';
import { WindowDetectionsService } from './figures/window-detections.service';

/** Detections: UTM security events from the units' logs, and EDR threats pulled from the vendor. */
@Module({
  imports: [InventoryModule],
  providers: [
    CompanyDetectionsService,
    DetectionCountsService,
    DetectionFiguresService,
    EdrThreatService,
    UtmIntakeService,
    WindowDetectionsService,
  ],
  exports: [
    CompanyDetectionsService,
    DetectionCountsService,
    DetectionFiguresService,
    EdrThreatService,
    UtmIntakeService,
    WindowDetectionsService,
  ],
})
export class DetectionsModule {}
