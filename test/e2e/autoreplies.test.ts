// Automatic replies' settings in Chromium (Chinese console): a keyword rule whose regular
// expression the server refuses shows the reason on the pattern field, then a valid one is saved
// and answers a customer; a canned response with an unknown variable is refused on its field; the
// CSAT report shows its empty state.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, SIGNATURE_HEADER } from '../../src/channels/api/adapter.js';
import { apiCall as callApi, hasChromium, openConsole, signInChinese, warnIfNoChromium, type BrowserSession, chooseOption } from '../support/browser.js';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.js';
import { waitFor } from '../../src/platform/queue/test-support.js';

warnIfNoChromium('e2e/autoreplies');

const SECRET = 'an api channel secret, long enough';

describe.skipIf(!hasChromium)('automatic replies settings in Chromium', () => {
  let session: BrowserSession;
  let page: Page;
  let provider: FakeProvider;
  let channelId: string;
  const apiCall = <T,>(method: 'GET' | 'POST' | 'PATCH', path: string, data?: unknown) => callApi<T>(session, method, path, data);
  const option = (text: string) => chooseOption(page, text);
  // antd spaces a two-character Chinese label ("保 存"): the modal's primary button instead.
  const save = () => page.locator('.ant-modal-footer .ant-btn-primary').click();
  const fieldError = (testId: string) => page.locator('.ant-form-item-has-error', { has: page.getByTestId(testId) }).locator('.ant-form-item-explain-error');

  beforeAll(async () => {
    provider = await startFakeProvider();
    session = await openConsole({ width: 1400, height: 1000 }, { CHANNEL_ALLOW_PRIVATE_TARGETS: 'true' });
    page = session.page;
    page.setDefaultTimeout(30_000);
    await signInChinese(session);
    channelId = (await apiCall<{ channel: { id: string } }>('POST', '/channels', { type: 'api', name: '官网应用', settings: { url: provider.url }, secrets: { secret: SECRET } })).channel.id;
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await provider?.close();
  });

  it('refuses an invalid regular expression on its field, saves a valid rule, and the rule answers', async () => {
    await page.goto(`${session.server.url}/settings/inbox-automation`);
    await page.getByText('还没有关键词规则').waitFor();
    await page.getByTestId('rule-create').first().click();
    await page.getByTestId('rule-channel').click();
    await option('官网应用');
    await page.getByTestId('rule-kind').click();
    await option('正则表达式');
    await page.getByTestId('rule-pattern').fill('(?<=订单)\\d+');
    await page.getByTestId('rule-reply').fill('正在为您查询订单');
    await save();
    await fieldError('rule-pattern').waitFor();
    await page.getByTestId('rule-pattern').fill('订单\\s*\\d{4,}');
    await save();
    await page.getByTestId('rules-table').getByText('正在为您查询订单').waitFor();

    const body = JSON.stringify({ events: [{ id: 'e2e-1', type: 'message', from: { id: 'buyer' }, message: { id: 'm-1', kind: 'text', text: '查一下订单 12345' } }] });
    // From outside the browser: the provider has no session (a cookie would ask for a CSRF token).
    const hook = await fetch(`${session.server.url}/hooks/${channelId}`, { method: 'POST', body, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(SECRET, body) } });
    expect(hook.status).toBe(200);
    const reply = await waitFor(async () => provider.received.map((r) => r.json() as { to: string; text: string }).find((b) => b.to === 'buyer'), 'the automatic reply', 30_000);
    expect(reply.text).toBe('正在为您查询订单');
  }, 180_000);

  it('refuses an unknown variable in a canned response on its field, and shows the CSAT report’s empty state', async () => {
    await page.getByRole('tab', { name: '快捷回复' }).click();
    await page.getByText('还没有快捷回复').waitFor();
    await page.getByTestId('canned-create').first().click();
    await page.getByTestId('canned-shortcut').fill('thanks');
    await page.getByTestId('canned-title').fill('致谢');
    await page.getByTestId('canned-body').fill('谢谢 {{contact.nmae}}');
    await save();
    await fieldError('canned-body').waitFor();
    expect(await fieldError('canned-body').textContent()).toContain('contact.nmae');
    await page.getByTestId('canned-body').fill('谢谢 {{contact.name}}，祝您愉快！');
    await save();
    await page.getByTestId('canned-table').getByText('/thanks').waitFor();

    await page.getByRole('tab', { name: '满意度报表' }).click();
    await page.getByTestId('csat-empty').waitFor();
  }, 180_000);
});
