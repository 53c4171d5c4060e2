// A WhatsApp template from the console: the real server, a whatsapp channel pointed at the fake
// Cloud API on 127.0.0.1, a customer who last wrote 25 hours ago (window closed), and the built
// console in Chromium. The composer says the window is closed and offers the templates; the one
// chosen, with its parameters filled, reaches the fake Cloud API as a template message.
// Needs /usr/bin/chromium; without it the suite is skipped.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../src/channels/fake-graph.js';
import { PHONE_NUMBER_ID, startFakeWhatsApp, WABA_ID } from '../../src/channels/whatsapp/fake-whatsapp.js';
import { apiCall as callApi, hasChromium, openConsole, signIn, warnIfNoChromium, type BrowserSession } from '../support/browser.js';

warnIfNoChromium('e2e/whatsapp-templates');

const APP_SECRET = '0123456789abcdef0123456789abcdef';

describe.skipIf(!hasChromium)('WhatsApp templates in the console', () => {
  let session: BrowserSession;
  let page: Page;
  let wa: Awaited<ReturnType<typeof startFakeWhatsApp>>;
  let channelId: string;

  beforeAll(async () => {
    // The server is a child process that inherits this environment: let the channel reach 127.0.0.1.
    process.env.CHANNEL_ALLOW_PRIVATE_TARGETS = 'true';
    wa = await startFakeWhatsApp();
    session = await openConsole({ width: 1400, height: 900 });
    page = session.page;
    await page.goto(`${session.server.url}/login`);
    await page.evaluate(() => localStorage.setItem('renmai.locale', 'en'));
    await signIn(session);
    const { channel } = await callApi<{ channel: { id: string } }>(session, 'POST', '/channels', {
      type: 'whatsapp',
      name: 'WhatsApp',
      settings: { phoneNumberId: PHONE_NUMBER_ID, wabaId: WABA_ID, apiBaseUrl: wa.url },
      secrets: { appSecret: APP_SECRET, verifyToken: 'e2e-verify-token', accessToken: 'EAAG-an-e2e-access-token' },
    });
    channelId = channel.id;
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await wa?.close();
  });

  it('outside the window the composer sends an approved template with its parameters', async () => {
    const at = Math.floor((Date.now() - 25 * 3600_000) / 1000);
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: WABA_ID, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID }, contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }], messages: [{ from: '16505551234', id: 'wamid.E2E1', timestamp: String(at), type: 'text', text: { body: 'Where is my order?' } }] } }] }],
    });
    const res = await fetch(`${session.server.url}/hooks/${channelId}`, { method: 'POST', body, headers: signedHeaders(APP_SECRET, body) });
    expect(res.status).toBe(200);

    await page.goto(`${session.server.url}/inbox?view=all&status=open`);
    const row = page.getByTestId('conversation-row').filter({ hasText: 'Sheena Nelson' });
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await page.getByTestId('composer-window-closed').waitFor();
    await page.getByTestId('composer-template').click();
    await page.getByTestId('template-item').filter({ hasText: 'order_update' }).waitFor();
    // Only approved templates are offered (the pending draft_offer is not).
    expect(await page.getByTestId('template-item').allInnerTexts()).toEqual([expect.stringContaining('order_update'), expect.stringContaining('hello_world')]);
    await page.getByTestId('template-item').filter({ hasText: 'order_update' }).click();
    const values = page.getByTestId('template-parameter');
    await values.nth(0).fill('A-1001');
    await values.nth(1).fill('Monday');
    await expect.poll(() => page.getByTestId('template-preview').innerText()).toBe('Your order A-1001 ships on Monday.');
    await page.getByTestId('template-send').click();
    await page.getByTestId('message').filter({ hasText: 'Your order A-1001 ships on Monday.' }).waitFor();
    await expect
      .poll(() => wa.sends().map((r) => r.json() as { type: string; template?: unknown }), { timeout: 20_000 })
      .toEqual([expect.objectContaining({ type: 'template', template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'A-1001' }, { type: 'text', text: 'Monday' }] }] } })]);
  }, 120_000);
});
