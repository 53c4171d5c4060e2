// Channels in Chromium against a fresh server: an admin creates an api, an e-mail and a website
// chat channel from the forms the channel types describe, never sees a credential again (neither
// in the API's answers nor on the page), edits them, sees the webhook URL or the snippet, sets a
// team's assignment, and retries failed sends from the dead-letter page; a member without
// channels:manage gets the 403 page and no menu entry.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, SIGNATURE_HEADER } from '../../src/channels/api/adapter.js';
import { apiCall as callApi, hasChromium, openConsole, signInChinese, warnIfNoChromium, type BrowserSession, chooseOption } from '../support/browser.js';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.js';
import type { TestServer } from '../support/server.js';

warnIfNoChromium('e2e/channels');

// Ends with a space: credentials are kept exactly as typed (the webhook below is signed with it).
const API_SECRET = 'an api channel secret, long enough ';
const SMTP_PASSWORD = 'smtp-password-never-shown';
const IMAP_PASSWORD = 'imap-password-never-shown';
const IDENTITY_SECRET = 'identity-secret-never-shown';

interface Channel { id: string; name: string; settings: Record<string, unknown>; secretsSet: string[]; hookUrl: string }

describe.skipIf(!hasChromium)('channels in Chromium', () => {
  let session: BrowserSession;
  let server: TestServer;
  let page: Page;
  let provider: FakeProvider;
  let apiChannel: Channel;

  const apiCall = <T,>(method: 'GET' | 'POST' | 'PATCH', path: string, data?: unknown) => callApi<T>(session, method, path, data);
  // Dispatched rather than clicked: a long drawer may move the open list under the pointer.
  const option = (text: string) => chooseOption(page, text);
  /** Clicks save and returns the body the API answered the form with. */
  async function save(method: 'POST' | 'PATCH') {
    const answer = page.waitForResponse((r) => r.url().includes('/api/v1/channels') && r.request().method() === method);
    await page.getByTestId('channel-save').click();
    return answer.then((r) => r.text());
  }

  beforeAll(async () => {
    provider = await startFakeProvider();
    // Sends may reach the fake provider on 127.0.0.1; two attempts make a dead letter quickly.
    session = await openConsole({ width: 1400, height: 1000 }, { CHANNEL_ALLOW_PRIVATE_TARGETS: 'true', SEND_MAX_ATTEMPTS: '2' });
    ({ server, page } = session);
    // A loaded machine (several suites at once) can take longer than the default to render.
    page.setDefaultTimeout(30_000);
    await signInChinese(session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await provider?.close();
  });

  it('creates an api channel, shows its webhook URL, never shows its secret, and puts API errors on the fields', async () => {
    await page.goto(`${server.url}/settings/channels`);
    await page.getByText('还没有渠道').waitFor();

    // The header's button (the empty state repeats it).
    await page.getByTestId('channel-create').first().click();
    await page.getByTestId('channel-create-api').click();
    await page.getByTestId('channel-name').fill('Web app');
    await page.getByTestId('field-url').fill(provider.url);
    // Too short for the server: its message lands on the field.
    await page.getByTestId('field-secrets-secret').fill('short');
    const refused = await save('POST');
    expect(refused).not.toContain('short');
    await page.locator('.ant-form-item-has-error', { has: page.getByTestId('field-secrets-secret') }).locator('.ant-form-item-explain-error').waitFor();

    await page.getByTestId('field-secrets-secret').fill(API_SECRET);
    const created = await save('POST');
    expect(created).not.toContain(API_SECRET);
    apiChannel = JSON.parse(created).channel;
    expect(apiChannel.secretsSet).toEqual(['secret']);

    // The drawer stays open on the saved channel: its webhook URL, the secret as "set", the field empty.
    await page.getByTestId('channel-hook-url').waitFor();
    expect(await page.getByTestId('channel-hook-url').textContent()).toMatch(new RegExp(`/hooks/${apiChannel.id}$`));
    expect(await page.getByTestId('secret-status-secret').textContent()).toBe('已设置');
    expect(await page.content()).not.toContain(API_SECRET);

    // Edit a setting; the secret, left blank, is kept.
    await page.getByTestId('field-url').fill(`${provider.url}?v=2`);
    const edited = JSON.parse(await save('PATCH')).channel as Channel;
    expect(edited.settings.url).toBe(`${provider.url}?v=2`);
    expect(edited.secretsSet).toEqual(['secret']);

    await page.reload();
    await page.getByTestId('channel-link').filter({ hasText: 'Web app' }).click();
    await page.getByTestId('channel-hook-url').waitFor();
    expect(await page.getByTestId('field-url').inputValue()).toBe(`${provider.url}?v=2`);
    expect(await page.content()).not.toContain(API_SECRET);
    expect(JSON.stringify(await apiCall('GET', '/channels'))).not.toContain(API_SECRET);
  }, 120_000);

  it('creates an e-mail channel read over IMAP, with no webhook URL, adds its second password without losing the first, and removes one', async () => {
    await page.goto(`${server.url}/settings/channels`);
    await page.getByTestId('channel-create').click();
    await page.getByTestId('channel-create-email').click();
    await page.getByTestId('channel-name').fill('Support mail');
    await page.getByTestId('field-address').fill('Support@Example.com');
    await page.getByTestId('field-smtp-host').fill('smtp.example.com');
    await page.getByTestId('field-smtp-user').fill('support');
    await page.getByTestId('field-inbound-mode').click();
    await option('IMAP 邮箱');
    await page.getByTestId('field-inbound-host').fill('imap.example.com');
    await page.getByTestId('field-inbound-user').fill('support');
    await page.getByTestId('field-secrets-smtpPassword').fill(SMTP_PASSWORD);
    const created = await save('POST');
    expect(created).not.toContain(SMTP_PASSWORD);
    const channel = JSON.parse(created).channel as Channel;
    expect(channel.settings).toMatchObject({ address: 'support@example.com', smtp: { host: 'smtp.example.com', port: 587, user: 'support' }, inbound: { mode: 'imap', host: 'imap.example.com', port: 993, mailbox: 'INBOX' } });

    await page.getByTestId('secret-status-imapPassword').waitFor();
    expect(await page.getByTestId('secret-status-smtpPassword').textContent()).toBe('已设置');
    expect(await page.getByTestId('secret-status-imapPassword').textContent()).toBe('未设置');
    expect(await page.getByTestId('channel-hook-url').count()).toBe(0);

    await page.getByTestId('field-secrets-imapPassword').fill(IMAP_PASSWORD);
    const edited = await save('PATCH');
    expect(JSON.parse(edited).channel.secretsSet).toEqual(['imapPassword', 'smtpPassword']);
    await page.getByTestId('secret-status-imapPassword').filter({ hasText: '已设置' }).waitFor();
    for (const text of [edited, await page.content(), JSON.stringify(await apiCall('GET', `/channels/${channel.id}`))]) {
      expect(text).not.toContain(SMTP_PASSWORD);
      expect(text).not.toContain(IMAP_PASSWORD);
    }

    // SMTP without a login: the stored password can be removed.
    await page.getByTestId('secret-remove-smtpPassword').click();
    await page.getByTestId('secret-status-smtpPassword').filter({ hasText: '将移除' }).waitFor();
    await page.getByTestId('field-smtp-user').fill('');
    const removed = JSON.parse(await save('PATCH')).channel as Channel;
    expect(removed.secretsSet).toEqual(['imapPassword']);
    expect(removed.settings.smtp).not.toHaveProperty('user');
    await page.getByTestId('secret-status-smtpPassword').filter({ hasText: '未设置' }).waitFor();
    await page.locator('.ant-drawer-close').click();
    await page.getByTestId('channel-link').nth(1).waitFor();
  }, 120_000);

  it('creates a website chat channel served by a team, and shows its one-line snippet', async () => {
    const { team } = await apiCall<{ team: { id: string } }>('POST', '/teams', { name: '客服一组' });
    await page.goto(`${server.url}/settings/channels`);
    await page.getByTestId('channel-create').click();
    await page.getByTestId('channel-create-widget').click();
    await page.getByTestId('channel-name').fill('Shop chat');
    await page.getByTestId('channel-team').click();
    await option('客服一组');
    await page.getByTestId('channel-team').filter({ hasText: '客服一组' }).waitFor();
    await page.getByTestId('field-allowedOrigins').click();
    await page.keyboard.type('https://shop.example');
    await page.keyboard.press('Enter');
    await page.getByTestId('field-secrets-identitySecret').fill(IDENTITY_SECRET);
    const created = await save('POST');
    expect(created).not.toContain(IDENTITY_SECRET);
    const channel = JSON.parse(created).channel as Channel & { teamId: string };
    expect(channel).toMatchObject({ teamId: team.id, secretsSet: ['identitySecret'], settings: { allowedOrigins: ['https://shop.example'], colors: { primary: '#1677ff' } } });

    await page.getByTestId('channel-snippet').waitFor();
    expect(await page.getByTestId('channel-snippet').textContent()).toMatch(new RegExp(`^<script src="[^"]+/widget\\.js" data-channel="${channel.id}" async></script>$`));
    expect(await page.getByTestId('channel-hook-url').count()).toBe(0);
    expect(await page.content()).not.toContain(IDENTITY_SECRET);
    await page.locator('.ant-drawer-close').click();
  }, 120_000);

  it('sets how a team assigns its conversations', async () => {
    const { items: teams } = await apiCall<{ items: Array<{ id: string; name: string }> }>('GET', '/teams');
    const team = teams.find((x) => x.name === '客服一组')!;
    await page.goto(`${server.url}/settings/inbox-teams`);
    await page.getByTestId('team-auto-assign').click();
    await page.getByText('最空闲优先').click();
    await page.getByTestId('team-agent-cap').fill('3');
    await page.getByTestId('team-assignment-save').click();
    await expect.poll(async () => (await apiCall<{ assignment: unknown }>('GET', `/inbox/teams/${team.id}/assignment`)).assignment, { timeout: 30_000 })
      .toMatchObject({ autoAssign: true, mode: 'least_busy', agentCap: 3 });
  }, 120_000);

  it('lists sends that failed for good and retries a selection of them from the page', async () => {
    const body = JSON.stringify({ events: [{ id: 'evt-1', type: 'message', from: { id: 'visitor-1', name: 'Li Lei' }, message: { id: 'msg-1', kind: 'text', text: 'Hello?' } }] });
    const hook = await fetch(`${server.url}/hooks/${apiChannel.id}`, { method: 'POST', body, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(API_SECRET, body) } });
    expect(hook.status).toBe(200);
    const conversations = async () => (await apiCall<{ items: Array<{ id: string }> }>('GET', '/conversations')).items;
    await expect.poll(async () => (await conversations()).length, { timeout: 30_000 }).toBe(1);
    const conversationId = (await conversations())[0]!.id;

    // Two replies, each answered 5xx on both attempts: two dead letters.
    provider.failNext({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    await apiCall('POST', `/conversations/${conversationId}/messages`, { text: 'First answer' });
    await apiCall('POST', `/conversations/${conversationId}/messages`, { text: 'Second answer' });
    const deadLetters = async () => (await apiCall<{ items: unknown[] }>('GET', '/dead-letters')).items.length;
    await expect.poll(deadLetters, { timeout: 60_000 }).toBe(2);

    await page.goto(`${server.url}/settings/dead-letters`);
    await page.getByTestId('dead-letter-retry').nth(1).waitFor();
    expect(await page.getByTestId('dead-letter-retry').count()).toBe(2);
    const table = await page.locator('tbody').innerText();
    expect(table).toContain('First answer');
    expect(table).toContain('Web app');
    expect(await page.getByTestId('dead-letter-error').first().textContent()).toMatch(/^temporary: /);
    expect(await page.getByTestId('dead-letter-conversation').first().getAttribute('href')).toBe(`/inbox/${conversationId}`);

    // The provider answers again: retry both at once.
    await page.locator('thead .ant-checkbox-input').check();
    await page.getByTestId('dead-letters-retry-selected').click();
    await page.getByText('没有发送失败的消息').waitFor();
    const statuses = async () => (await apiCall<{ items: Array<{ direction: string; status: string }> }>('GET', `/conversations/${conversationId}/messages`)).items.filter((m) => m.direction === 'out').map((m) => m.status);
    await expect.poll(statuses, { timeout: 30_000 }).toEqual(['sent', 'sent']);
  }, 150_000);

  it('shows a member without channels:manage the 403 page and no menu entry', async () => {
    const { items: roles } = await apiCall<{ items: Array<{ id: string; key: string | null }> }>('GET', '/roles');
    const agentRole = roles.find((r) => r.key === 'agent')!.id;
    const { url } = await apiCall<{ url: string }>('POST', '/invitations', { email: 'agent@example.com', roleId: agentRole });
    const agent = await (await session.browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
    agent.setDefaultTimeout(60_000);
    await agent.goto(`${server.url}${new URL(url).pathname}`);
    await agent.locator('#accept-invitation_name').fill('Agent Smith');
    await agent.locator('#accept-invitation_password').fill('correct horse battery staple');
    await agent.locator('#accept-invitation_confirm').fill('correct horse battery staple');
    await agent.locator('form[id=accept-invitation] button[type=submit]').click();
    await agent.getByTestId('user-menu').waitFor();

    await agent.goto(`${server.url}/settings/channels`);
    await agent.locator('.ant-result-403').waitFor();
    expect(await agent.getByTestId('channel-create').count()).toBe(0);
    expect(await agent.locator('.ant-menu-item', { hasText: /^渠道$/ }).count()).toBe(0);
    expect(await page.locator('.ant-menu-item', { hasText: /^渠道$/ }).count()).toBe(1);
    await agent.goto(`${server.url}/settings/dead-letters`);
    await agent.locator('.ant-result-403').waitFor();
    await agent.context().close();
  }, 120_000);
});
