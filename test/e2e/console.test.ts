// The console end to end: the real server (fresh data dir) and the built SPA, driven in Chromium.
// Needs /usr/bin/chromium; without it the suite is skipped with a message, never passed silently.
// The console is (re)built first when web/dist is missing or older than web/src.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openConsole, signIn, warnIfNoChromium, type BrowserSession } from '../support/browser.js';
import type { TestServer } from '../support/server.js';

warnIfNoChromium('e2e/console');

describe.skipIf(!hasChromium)('console in Chromium', () => {
  let session: BrowserSession;
  let server: TestServer;
  let page: Page;

  beforeAll(async () => {
    session = await openConsole({ width: 1280, height: 800 });
    ({ server, page } = session);
  }, 120_000);

  afterAll(() => session?.close());

  it('signs in, switches language, creates an API key, finds it in the audit log, signs out', async () => {
    await page.goto(`${server.url}/login`);
    await signIn(session);

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
