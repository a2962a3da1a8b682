import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type Browser, chromium } from 'playwright-core';
import { APP_CONFIG, type AppConfig } from '@app/config';

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Chromium's print to PDF of a report's HTML page (its own `@page` A4 rules). One headless browser
 * per process, started on the first print and kept for the next (a month's run prints one report
 * per company); a browser that died is started again. The page loads nothing: every request is
 * refused and scripts are off, so a company name cannot make it fetch anything.
 */
@Injectable()
export class ReportPdfPrinter implements OnModuleDestroy {
  private browser: Promise<Browser> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async print(html: string): Promise<Buffer> {
    const browser = await this.launched();
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      await context.route('**/*', (route) => route.abort());
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ preferCSSPageSize: true, printBackground: true });
    } finally {
      await context.close();
    }
  }

  async onModuleDestroy(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    await (await browser?.catch(() => null))?.close();
  }

  private launched(): Promise<Browser> {
    if (!this.browser) {
      const launching = chromium.launch({
        executablePath: this.config.chromiumPath,
        args: CHROMIUM_ARGS,
      });
      this.browser = launching;
      launching.then(
        (browser) =>
          browser.on('disconnected', () => {
            if (this.browser === launching) this.browser = null;
          }),
        () => {
          if (this.browser === launching) this.browser = null;
        },
      );
    }
    return this.browser;
  }
}
