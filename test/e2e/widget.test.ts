// The live-chat widget in Chromium, embedded by its one-line snippet on a page of another origin
// (as on a customer's site), against the real server with its worker: the visitor writes, an agent
// answers through the API, the visitor sees the answer without reloading; markup in messages is
// shown as text on the visitor's side (no dialog, no element). Also: the bundle's size.
// Without /usr/bin/chromium the browser suite is skipped with a message, never passed silently.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, warnIfNoChromium } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { userHash } from '../../src/channels/widget/index.js';
import { createWidgetChannelFor, IDENTITY_SECRET, memberApi, startWidgetHost, widgetOn, type MemberApi, type WidgetHost } from '../support/widget-page.js';

// A 1×1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const ensureBuilt = () => execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/ensure-console.js', import.meta.url))], { stdio: 'inherit' });

describe('widget bundle', () => {
  it('is at most 50 KB gzipped', () => {
    ensureBuilt();
    const bundle = readFileSync(fileURLToPath(new URL('../../web/dist/widget.js', import.meta.url)));
    expect(gzipSync(bundle, { level: 9 }).length).toBeLessThanOrEqual(50 * 1024);
    // One classic script: nothing to import, no HTML parsing of data.
    expect(bundle.toString()).not.toMatch(/\binnerHTML\b|\binsertAdjacentHTML\b|\bdocument\.write\b/);
  }, 120_000);
});

warnIfNoChromium('e2e/widget');

describe.skipIf(!hasChromium)('widget in Chromium', () => {
  let server: TestServer;
  let host: WidgetHost;
  let browser: Browser;
  let api: MemberApi;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    server = await startTestServer();
    host = await startWidgetHost(server.url);
    api = await memberApi(server);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await server?.close();
  });

  const conversationOf = async (channelId: string) =>
    (await api.get<{ items: Array<{ id: string; channelId: string }> }>('/conversations?limit=200')).items.find((c) => c.channelId === channelId)?.id;

  it('carries a conversation both ways, live, with markup shown as text', async () => {
    const channelId = await createWidgetChannelFor(api, host.origin);
    await page.goto(host.pageUrl(channelId, { lang: 'en' }));
    const w = widgetOn(page);
    // The host page's `button { color: red }` does not reach into the widget; the channel's colours do.
    expect(await w.launcher.evaluate((b) => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor])).toEqual(['rgb(255, 255, 255)', 'rgb(22, 119, 255)']);
    await w.launcher.click();
    await w.greeting.getByText('Hello! How can we help?').waitFor();
    // Nobody at a console: offline mode asks for an e-mail.
    await w.offline.waitFor();
    await page.getByTestId('renmai-email').fill('visitor@example.com');
    await page.getByTestId('renmai-email').press('Enter');
    await page.getByTestId('renmai-email-saved').waitFor();

    await w.say('Hello from the shop');
    await w.message('in', 'Hello from the shop').waitFor();
    await expect.poll(() => conversationOf(channelId), { timeout: 15_000 }).toBeTruthy();
    const conversationId = (await conversationOf(channelId))!;

    // The agent answers; the visitor sees it without reloading.
    await api.post(`/conversations/${conversationId}/messages`, { text: 'Hi! How can I help?' });
    await w.message('out', 'Hi! How can I help?').waitFor();

    // Markup from either side is text.
    const xss = '<img src=x onerror=alert(1)>';
    await w.say(xss);
    await w.message('in', xss).waitFor();
    await api.post(`/conversations/${conversationId}/messages`, { text: '<img src=y onerror=alert(2)><b>bold?</b>' });
    await w.message('out', '<img src=y onerror=alert(2)><b>bold?</b>').waitFor();
    expect(await w.messages.locator('img').count()).toBe(0);
    expect(await w.messages.locator('b').count()).toBe(0);
    // An agent's note never reaches the visitor.
    await api.post(`/conversations/${conversationId}/notes`, { text: 'internal: VIP' });

    // Closed panel: a new answer shows on the unread badge; opening clears it.
    await page.getByRole('button', { name: 'Close' }).click();
    await api.post(`/conversations/${conversationId}/messages`, { text: 'Anything else?' });
    await expect.poll(() => w.unread.textContent(), { timeout: 15_000 }).toBe('1');
    await w.launcher.click();
    await w.message('out', 'Anything else?').waitFor();
    await expect.poll(() => w.unread.isHidden()).toBe(true);
    expect(await page.locator('[data-testid="renmai-messages"]').innerText()).not.toContain('internal: VIP');

    // A picture from the visitor: uploaded, stored by the inbox, shown back through a blob: URL.
    await page.getByTestId('renmai-file').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: PNG });
    const picture = w.messages.locator('[data-direction="in"] img[alt="dot.png"]');
    await picture.waitFor();
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    expect(await picture.getAttribute('src')).toMatch(/^blob:/);
    await expect.poll(async () => (await api.get<{ items: Array<{ kind: string }> }>(`/conversations/${conversationId}/messages`)).items[0]?.kind).toBe('image');

    // The same browser is the same visitor after a reload: the conversation is still there.
    await page.reload();
    await w.launcher.click();
    await w.message('out', 'Anything else?').waitFor();
    expect(dialogs).toEqual([]);
  });

  it('starts for a user the site vouches for, and not for a wrong hash', async () => {
    const channelId = await createWidgetChannelFor(api, host.origin);
    const liar = await browser.newPage();
    const refused = liar.waitForEvent('console', (m) => m.text().includes('identity_mismatch'));
    await liar.goto(host.pageUrl(channelId, { 'user-id': 'user-42', 'user-hash': userHash(IDENTITY_SECRET, 'user-43') }));
    await refused;
    expect(await widgetOn(liar).launcher.count()).toBe(0);
    await liar.close();

    const member = await browser.newPage();
    await member.goto(host.pageUrl(channelId, { 'user-id': 'user-42', 'user-hash': userHash(IDENTITY_SECRET, 'user-42'), lang: 'en' }));
    const w = widgetOn(member);
    await w.launcher.click();
    await w.say('Signed in and writing');
    await w.message('in', 'Signed in and writing').waitFor();
    await expect.poll(() => conversationOf(channelId), { timeout: 15_000 }).toBeTruthy();
    const { conversation } = await api.get<{ conversation: { contact: { id: string } } }>(`/conversations/${(await conversationOf(channelId))!}`);
    const { contact } = await api.get<{ contact: { identities: Array<{ channelType: string; externalId: string }> } }>(`/contacts/${conversation.contact.id}`);
    expect(contact.identities).toEqual([expect.objectContaining({ channelType: 'web_visitor', externalId: 'user:user-42' })]);
    await member.close();
  });

  it('serves the script with caching headers and revalidation', async () => {
    const first = await fetch(`${server.url}/widget.js`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('javascript');
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const etag = first.headers.get('etag')!;
    expect((await fetch(`${server.url}/widget.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('speaks Chinese to a Chinese browser', async () => {
    const channelId = await createWidgetChannelFor(api, host.origin);
    const context = await browser.newContext({ locale: 'zh-CN' });
    const zh = await context.newPage();
    await zh.goto(host.pageUrl(channelId));
    await zh.getByRole('button', { name: '在线咨询' }).click();
    await widgetOn(zh).greeting.getByText('您好！有什么可以帮您？').waitFor();
    await context.close();
  });
});
