// The console inbox end to end: the real server (fresh data dir, its own worker), an `api`
// channel whose replies go to a fake provider on 127.0.0.1, and the built console in Chromium.
// Customer messages arrive through the signed webhook and must show up in the open inbox without
// a reload; the agent's reply (a canned response, filled in) must reach the provider; markup in a
// message is text; a note's @mention notifies the member; the filters, a shortcut, the message
// search and browser notifications (tab hidden) work.
// Needs /usr/bin/chromium; without it the suite is skipped.
import { request as playwrightRequest, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, SIGNATURE_HEADER } from '../../src/channels/api/adapter.js';
import { apiCall as callApi, hasChromium, openConsole, signIn, warnIfNoChromium, type BrowserSession } from '../support/browser.js';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.js';
import type { TestServer } from '../support/server.js';

warnIfNoChromium('e2e/inbox');

const SECRET = 'an e2e channel secret of some length';
const XSS = '<img src=x onerror=alert(1)>';

describe.skipIf(!hasChromium)('console inbox in Chromium', () => {
  let session: BrowserSession;
  let server: TestServer;
  let page: Page;
  let provider: FakeProvider;
  let channelId: string;
  const dialogs: string[] = [];
  let n = 0;

  const apiCall = <T,>(method: 'GET' | 'POST' | 'PATCH', path: string, data?: unknown) => callApi<T>(session, method, path, data);

  /** A customer's text message through the channel's signed webhook, as the provider would send it. */
  async function customerSays(from: { id: string; name?: string }, text: string) {
    n += 1;
    const body = JSON.stringify({ events: [{ id: `e2e-evt-${n}`, type: 'message', from, message: { id: `e2e-msg-${n}`, kind: 'text', text } }] });
    const res = await fetch(`${server.url}/hooks/${channelId}`, { method: 'POST', body, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(SECRET, body) } });
    expect(res.status).toBe(200);
  }

  const row = (name: string) => page.getByTestId('conversation-row').filter({ hasText: name });

  beforeAll(async () => {
    // The server is a child process that inherits this environment: let the channel send to 127.0.0.1.
    process.env.CHANNEL_ALLOW_PRIVATE_TARGETS = 'true';
    provider = await startFakeProvider();
    session = await openConsole({ width: 1400, height: 900 });
    ({ server, page } = session);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${server.url}/login`);
    await page.evaluate(() => localStorage.setItem('renmai.locale', 'en'));
    await signIn(session);
    const { channel } = await apiCall<{ channel: { id: string } }>('POST', '/channels', { type: 'api', name: 'E2E app', settings: { url: provider.url }, secrets: { secret: SECRET } });
    channelId = channel.id;
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await provider?.close();
  });

  it('shows a new customer message without a reload, and the reply reaches the provider', async () => {
    await page.goto(`${server.url}/inbox?view=all&status=open`);
    await page.getByTestId('conversation-list-empty').waitFor();
    await page.getByTestId('live-state').and(page.locator('[data-state="open"]')).waitFor();
    await page.evaluate(() => ((window as unknown as { inboxMarker: boolean }).inboxMarker = true));

    await customerSays({ id: 'visitor-1', name: '李雷' }, '你好，我的订单到哪了？');
    await row('李雷').waitFor();
    await expect.poll(() => row('李雷').getByTestId('conversation-preview').innerText(), { timeout: 15_000 }).toContain('我的订单');
    // Same document: nothing reloaded the page.
    expect(await page.evaluate(() => (window as unknown as { inboxMarker?: boolean }).inboxMarker)).toBe(true);

    // The nav item counts the unread conversation, and drops it once the agent has read it.
    const badge = page.getByTestId('inbox-unread-badge');
    await badge.filter({ hasText: '1' }).waitFor();

    await row('李雷').click();
    await page.getByTestId('thread-title').filter({ hasText: '李雷' }).waitFor();
    await badge.waitFor({ state: 'detached' });
    // "/" in the empty composer opens the canned responses; the chosen one comes filled in.
    await apiCall('POST', '/inbox/canned-responses', { shortcut: 'ships', title: 'Ships today', body: 'Hello {{contact.name}}, it ships today.', scope: 'workspace' });
    await page.getByTestId('composer-input').press('/');
    await page.getByTestId('canned-search').fill('ships');
    await page.getByTestId('canned-item').filter({ hasText: 'Ships today' }).waitFor();
    await page.getByTestId('canned-search').press('Enter');
    await expect.poll(() => page.getByTestId('composer-input').inputValue(), { timeout: 15_000 }).toBe('Hello 李雷, it ships today.');
    await page.getByTestId('composer-input').press('Enter');
    await page.getByTestId('message').filter({ hasText: 'it ships today.' }).waitFor();
    await expect.poll(() => provider.received.map((r) => (r.json() as { text?: string }).text), { timeout: 15_000 }).toContain('Hello 李雷, it ships today.');
    // The send job's result comes back over the socket.
    await page.locator('[data-testid="message-status"][data-status="sent"]').waitFor();

    // A second message lands in the open thread, again without a reload.
    await customerSays({ id: 'visitor-1' }, 'Thanks!');
    await page.getByTestId('message').filter({ hasText: 'Thanks!' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { inboxMarker?: boolean }).inboxMarker)).toBe(true);
  }, 90_000);

  it('renders markup in a message as text: no dialog, no image element', async () => {
    await customerSays({ id: 'visitor-1' }, XSS);
    const message = page.getByTestId('message-text').filter({ hasText: XSS });
    await message.waitFor();
    expect(await message.innerText()).toBe(XSS);
    expect(await page.getByTestId('thread-messages').locator('img').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
  }, 60_000);

  it('a note with an @mention notifies the member named', async () => {
    const roles = await apiCall<{ items: Array<{ id: string; key: string | null }> }>('GET', '/roles');
    const agentRole = roles.items.find((r) => r.key === 'agent')!.id;
    const email = `mention-${Date.now()}@example.com`;
    const { url } = await apiCall<{ url: string }>('POST', '/invitations', { email, roleId: agentRole });
    const password = 'a long enough password 123';
    const other = await playwrightRequest.newContext({ baseURL: server.url });
    try {
      const accepted = await other.post('/api/v1/invitations/accept', { data: { token: url.split('/invite/')[1], name: 'Han Meimei', password } });
      expect(accepted.status()).toBe(200);
      // Reload the member list the picker offers (the invitation was accepted behind its back).
      await page.reload();
      await page.getByTestId('thread-title').waitFor();

      await page.getByTestId('composer-mode-note').click();
      const note = page.getByTestId('composer').locator('textarea');
      await note.click();
      await note.pressSequentially('@Han');
      await page.getByTestId('mention-option').filter({ hasText: 'Han Meimei' }).click();
      await note.pressSequentially('please call the customer back');
      await note.press('Control+Enter');
      await page.getByTestId('message').and(page.locator('[data-direction="note"]')).filter({ hasText: 'please call the customer back' }).waitFor();
      // The note never goes to the customer.
      expect(provider.received.some((r) => String((r.json() as { text?: string }).text).includes('please call'))).toBe(false);

      // Accepting signed `other` in as the new member.
      await expect
        .poll(async () => ((await (await other.get('/api/v1/notifications')).json()) as { items: Array<{ kind: string; link: string }> }).items, { timeout: 15_000 })
        .toEqual([expect.objectContaining({ kind: 'mention', link: expect.stringMatching(/^\/inbox\//) })]);
    } finally {
      await other.dispose();
    }
  }, 90_000);

  it('filters the list by assignee and status, and resolves with the e shortcut', async () => {
    await customerSays({ id: 'visitor-2', name: '韩梅梅' }, 'Do you ship abroad?');
    await page.goto(`${server.url}/inbox?view=unassigned&status=open`);
    await row('李雷').waitFor();
    await row('韩梅梅').waitFor();
    await page.getByTestId('inbox-view-mine').click();
    await page.getByTestId('conversation-list-empty').waitFor();

    await page.getByTestId('inbox-view-unassigned').click();
    await row('李雷').click();
    await page.getByTestId('assign-me').click();
    await page.locator('[data-testid="thread-assignee"][data-assignee="me"]').waitFor();
    await row('李雷').waitFor({ state: 'detached' });
    await row('韩梅梅').waitFor();
    await page.getByTestId('inbox-view-mine').click();
    await row('李雷').waitFor();
    await expect.poll(() => page.getByTestId('conversation-row').count(), { timeout: 15_000 }).toBe(1);

    // Not while typing: "e" in the composer is just a letter.
    await page.getByTestId('composer-input').fill('');
    await page.getByTestId('composer-input').press('e');
    expect(await page.getByTestId('thread').getAttribute('data-status')).toBe('open');
    await page.getByTestId('thread-title').click();
    await page.keyboard.press('e');
    await page.locator('[data-testid="thread"][data-status="resolved"]').waitFor();
    await page.getByTestId('conversation-list-empty').waitFor();

    await page.getByTestId('inbox-status-filter').click();
    await page.getByTestId('status-option-resolved').click();
    await row('李雷').waitFor();
  }, 90_000);

  it('finds messages by their words, Chinese included, and opens the conversation', async () => {
    await page.goto(`${server.url}/inbox?view=all&status=any`);
    const search = page.locator('input[data-testid="inbox-search"], [data-testid="inbox-search"] input');
    await search.fill('订单');
    await search.press('Enter');
    const result = page.getByTestId('search-result').filter({ hasText: '我的订单到哪了' });
    await result.waitFor();
    expect(await page.getByTestId('search-result').count()).toBe(1);
    await result.click();
    await page.getByTestId('thread-title').filter({ hasText: '李雷' }).waitFor();
  }, 60_000);

  it('notifies through the browser of a new unassigned conversation while the tab is hidden', async () => {
    await page.context().grantPermissions(['notifications'], { origin: server.url });
    await page.goto(`${server.url}/inbox`);
    await page.locator('[data-testid="live-state"][data-state="open"]').waitFor();
    // The tab goes to the background; the browser's Notification is watched, not replaced.
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      const Real = window.Notification;
      const shown: Array<{ title: string; body?: string }> = [];
      class Watched extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push({ title, body: options?.body });
        }
      }
      Object.defineProperty(Watched, 'permission', { get: () => Real.permission });
      (window as unknown as { Notification: typeof Notification; shown: typeof shown }).Notification = Watched as unknown as typeof Notification;
      (window as unknown as { shown: typeof shown }).shown = shown;
    });
    await customerSays({ id: 'visitor-3', name: '王五' }, 'Is anyone there?');
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { shown: unknown[] }).shown), { timeout: 15_000 })
      .toEqual([{ title: '王五', body: 'Is anyone there?' }]);
  }, 60_000);
});
