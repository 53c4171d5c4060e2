// A fission participant's public page in Chromium at a phone's viewport, as an invited friend or
// the participant opens it from a chat: no account, the poster image loads (rendered by the
// server), the progress toward each tier and the rules show, in the browser's language.
// Without /usr/bin/chromium the suite is skipped with a message, never passed silently.
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, warnIfNoChromium } from '../support/browser.js';
import type { TestApp } from '../support/app.js';
import { withOurs } from '../../src/domains/fission/db.js';
import { fissionTestApp, fissionWorkspace } from '../../src/domains/fission/test-world.js';

warnIfNoChromium('e2e/fission');

describe.skipIf(!hasChromium)('fission page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let token: string;

  beforeAll(async () => {
    t = await fissionTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const ws = await fissionWorkspace(t, 'FI browser');
    const campaign = await ws.campaign({ rulesText: '每位新朋友只计一次。' });
    const slug = new URL(campaign.entryLink!).searchParams.get('start')!;
    const host = await ws.telegram(8001, '陈静', `/start ${slug}`);
    token = (await withOurs(t.database.db).selectFrom('fission_participants').select('token').where('workspace_id', '=', ws.workspace.id).where('contact_id', '=', host).executeTakeFirstOrThrow()).token;
    await ws.telegram(8002, 'Friend', `/start f_${token}`);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const [locale, progress, tier, rules] of [
    ['zh-CN', '已邀请好友：1 人', '邀请 2 人：100 积分', '每位新朋友只计一次。'],
    ['en-US', 'Friends invited: 1', 'Invite 3: ¥20 coupon', '每位新朋友只计一次。'],
  ] as const) {
    it(`shows the poster and the progress at a phone viewport (${locale})`, async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const response = await page.goto(`${base}/f/${token}/page`);
      expect(response?.status()).toBe(200);
      const poster = page.locator('img.poster');
      await poster.waitFor();
      // The image really loaded and decoded: the server-rendered PNG at the layout's size.
      await page.waitForFunction(() => {
        const img = document.querySelector('img.poster') as HTMLImageElement | null;
        return Boolean(img?.complete && img.naturalWidth > 0);
      });
      expect(await poster.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([750, 1334]);
      // Fitted to the phone's width, no sideways scrolling.
      const box = (await poster.boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(390);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await expect.poll(() => page.locator('.progress').textContent()).toBe(progress);
      expect(await page.locator('li[data-tier]').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(tier)]));
      expect(await page.locator('.rules').textContent()).toBe(rules);
      await context.close();
    });
  }
});
