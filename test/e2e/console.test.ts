// The console end to end: the real server (fresh data dir) and the built SPA, driven in Chromium.
// Needs /usr/bin/chromium; without it the suite is skipped with a message, never passed silently.
// The console is (re)built first when web/dist is missing or older than web/src.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[e2e/console] SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium, or run .ci/run)`);

describe.skipIf(!hasChromium)('console in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/ensure-console.js', import.meta.url))], { stdio: 'inherit' });
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in, switches language, creates an API key, finds it in the audit log, signs out', async () => {
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-email').fill(server.login.email);
    await page.getByTestId('login-password').fill(server.login.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-menu').waitFor();

    // Language: make sure we start in Chinese (the account may prefer English), then toggle both ways.
    await page.goto(`${server.url}/settings/api-keys`);
    const langSwitch = page.getByTestId('lang-switch');
    if ((await langSwitch.innerText()).includes('中文')) await langSwitch.click();
    await expect.poll(() => langSwitch.innerText()).toContain('EN');
    await page.getByRole('heading', { name: 'API 密钥' }).waitFor();
    await langSwitch.click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await langSwitch.click();
    await page.getByRole('heading', { name: 'API 密钥' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    // The switch also saves the language to the account and refreshes who-am-I; let that settle
    // before opening a form, or the refresh may re-render it mid-interaction on a loaded machine.
    await page.waitForLoadState('networkidle');

    // An API key: the secret is shown once, then gone.
    const keyName = `e2e key ${Date.now()}`;
    await page.getByTestId('api-key-create').first().click();
    await page.getByTestId('api-key-name').fill(keyName);
    await page.getByTestId('perm-api-keys:read').check();
    await page.getByTestId('api-key-submit').click();
    const secret = (await page.getByTestId('api-key-secret').innerText()).trim();
    expect(secret.length).toBeGreaterThan(20);
    await page.getByTestId('api-key-done').click();
    await page.getByRole('cell', { name: keyName }).waitFor();
    await page.getByTestId('api-key-secret').waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);

    // The audit log shows the key's creation, and its row expands to the recorded change.
    await page.goto(`${server.url}/settings/audit-log`);
    const row = page.locator('tr', { has: page.getByText('api_key.created', { exact: true }) }).first();
    await row.waitFor();
    await row.locator('.ant-table-row-expand-icon').click();
    await page.getByTestId('audit-diff').first().waitFor();

    // Sign out: back at the login page, and the session is gone on the server too.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login/);
    await page.getByTestId('login-email').waitFor();
    const me = await page.request.get(`${server.url}/api/v1/auth/me`);
    expect(me.status()).toBe(401);
  }, 90_000);
});
