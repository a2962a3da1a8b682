import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { TestApi } from './test-api';

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

export const SCREENSHOTS = path.resolve(__dirname, '../../test-artifacts/screenshots');

/** A phone the console must work on (iPhone 12–15 width). */
export const PHONE = { width: 390, height: 844 };

export interface AxeViolation {
  id: string;
  impact: 'serious' | 'critical';
  help: string;
  /** CSS selectors of the offending elements. */
  targets: string[];
}

export interface ConsoleBrowser {
  browser: Browser;
  page: Page;
  /** Script errors and console errors the page raised (CSP refusals among them). */
  problems: string[];
  /** Signs in through the sign-in page, in whichever language it shows, and waits for the shell. */
  signIn(email: string, password: string): Promise<void>;
  /** A full-page screenshot in test-artifacts/screenshots/<name>.png. */
  screenshot(name: string): Promise<string>;
  /** axe-core's serious and critical violations on the page as it is now. */
  axe(): Promise<AxeViolation[]>;
  close(): Promise<void>;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The console in a real Chromium set to London time, so that every time shown must be converted
 * to Tokyo's by the console itself. Failed loads are the API's refusals, which the console shows;
 * script, CSP and other console errors are collected in `problems`.
 */
export async function openConsole(
  api: TestApi,
  opts: { viewport?: { width: number; height: number }; locale?: string } = {},
): Promise<ConsoleBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage({
    baseURL: api.baseUrl,
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    timezoneId: 'Europe/London',
    locale: opts.locale ?? 'en-GB',
  });
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/^Failed to load resource/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });

  return {
    browser,
    page,
    problems,
    async signIn(email, password) {
      if (!page.url().startsWith(api.baseUrl)) await page.goto('/');
      await page.getByLabel(/^(メールアドレス|Email)$/).fill(email);
      await page.getByLabel(/^(パスワード|Password)$/).fill(password);
      await page.getByRole('button', { name: /^(サインイン|Sign in)$/ }).click();
      await page.getByRole('navigation').first().waitFor();
    },
    async screenshot(name) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async axe() {
      // Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script>
      // tag with the source would be refused by script-src 'self', as it should be).
      if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
      return page.evaluate(async () => {
        const { axe, document } = globalThis as any;
        const result = await axe.run(document, {
          resultTypes: ['violations'],
          runOnly: {
            type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
          },
        });
        return result.violations
          .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
          .map((v: any) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            targets: v.nodes.map((node: any) => String(node.target.join(' '))),
          }));
      });
    },
    async close() {
      await browser.close();
    },
  };
}
