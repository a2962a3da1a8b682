import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's headless Chromium, which `.ci/run` installs. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface DeskBrowser {
  browser: Browser;
  page: Page;
  /** Script errors and console errors the page raised (CSP refusals among them). */
  problems: string[];
}

/**
 * A desktop-sized page in a browser set to London time, so that every time the desk's page shows
 * must be converted to Tokyo's by the page itself. Failed loads are the API's refusals, which the
 * page shows; script, CSP and other console errors are collected in `problems`.
 */
export async function openDeskBrowser(): Promise<DeskBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage({
    viewport: { width: 1280, height: 800 },
    timezoneId: 'Europe/London',
  });
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/^Failed to load resource/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  return { browser, page, problems };
}
