// The browser side of the end-to-end tests: Debian's Chromium driven by playwright-core against
// the real server (started fresh) and the built console. Without /usr/bin/chromium the suites
// are skipped with a message saying why, never passed silently.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from './server.js';

const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export function warnIfNoChromium(suite: string) {
  if (!hasChromium) console.warn(`[${suite}] SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium, or run .ci/run)`);
}

export interface BrowserSession {
  server: TestServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Builds the console if it is stale, starts a fresh server (with `env` added to its settings) and opens a page in Chromium. */
export async function openConsole(viewport = { width: 1280, height: 800 }, env: Record<string, string> = {}): Promise<BrowserSession> {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/ensure-console.js', import.meta.url))], { stdio: 'inherit' });
  const server = await startTestServer(env);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(15_000);
  return {
    server,
    browser,
    page,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Signs in with the demo login the server printed, and waits for the console shell. */
export async function signIn(session: BrowserSession) {
  const { page, server } = session;
  await page.getByTestId('login-email').fill(server.login.email);
  await page.getByTestId('login-password').fill(server.login.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

/** Signs in with the console fixed to Chinese (stable option labels for the tests that read them). */
export async function signInChinese(session: BrowserSession) {
  await session.page.goto(`${session.server.url}/login`);
  await session.page.evaluate(() => localStorage.setItem('renmai.locale', 'zh-CN'));
  await signIn(session);
}

/** A JSON call with the signed-in page's cookies and CSRF token, for setup and checks. */
export async function apiCall<T>(session: BrowserSession, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, data?: unknown): Promise<T> {
  const { page, server } = session;
  const csrf = (await page.context().cookies()).find((c) => c.name === 'renmai_csrf')?.value ?? '';
  const res = await page.request.fetch(`${server.url}/api/v1${path}`, { method, data, headers: { 'X-CSRF-Token': csrf } });
  if (!res.ok()) throw new Error(`${method} ${path} → ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * Picks an option of the open antd select. The click is dispatched on the option rather than
 * made at its position: under load the list may still be moving (opening animation, a long
 * drawer scrolling) and a positional click lands on something else.
 */
export const chooseOption = (page: Page, text: string) => page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().dispatchEvent('click');
