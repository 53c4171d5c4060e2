// Auto-tag rules end to end, in Chromium against a fresh server: a keyword rule on messages is made
// through the editor, applied to existing contacts (the backfill's progress bar runs to done and the
// run log counts the contacts it changed), and then acts by itself on a new message.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall as callApi, hasChromium, openConsole, signInChinese, warnIfNoChromium, type BrowserSession } from '../support/browser.js';
import type { TestServer } from '../support/server.js';

warnIfNoChromium('e2e/tag-rules');

describe.skipIf(!hasChromium)('auto-tag rules in Chromium', () => {
  let session: BrowserSession;
  let server: TestServer;
  let page: Page;

  const apiCall = <T,>(method: 'GET' | 'POST', path: string, data?: unknown) => callApi<T>(session, method, path, data);
  const message = (contactId: string, body: string) =>
    apiCall('POST', `/contacts/${contactId}/timeline`, { type: 'message', props: { channel: 'wecom', direction: 'in', body } });

  beforeAll(async () => {
    session = await openConsole({ width: 1400, height: 1000 });
    ({ server, page } = session);
  }, 120_000);

  afterAll(() => session?.close());

  it('makes a keyword rule, applies it to existing contacts with progress, and sees it act on a new message', async () => {
    await signInChinese(session);

    const { group } = await apiCall<{ group: { id: string } }>('POST', '/tag-groups', { name: '意向' });
    const { tag } = await apiCall<{ tag: { id: string } }>('POST', '/tags', { groupId: group.id, name: '询价客户' });
    const ids: string[] = [];
    for (const name of ['询价甲', '询价乙', '闲聊丙']) ids.push((await apiCall<{ contact: { id: string } }>('POST', '/contacts', { name })).contact.id);
    await message(ids[0]!, '请问这款的价格是多少？');
    await message(ids[1]!, '价格能再优惠点吗');
    await message(ids[2]!, '周末愉快');
    const tagged = async () => (await apiCall<{ count: number }>('POST', '/contacts/count', { filter: { tags: { any: [tag.id] } } })).count;

    // The rule: a message whose body contains 价格 adds 询价客户.
    await page.goto(`${server.url}/tag-rules/new`);
    await page.getByTestId('tag-rule-kind').waitFor();
    await page.getByTestId('tag-rule-keywords').click();
    await page.keyboard.type('价格');
    await page.keyboard.press('Enter');
    await page.getByTestId('tag-rule-add-tags').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: /^询价客户$/ }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('tag-rule-name').fill('询价打标');
    await page.getByTestId('tag-rule-save').click();
    await page.getByTestId('tag-rule-backfill').waitFor();
    // Rules act on what happens from now on: the earlier messages tagged no one yet.
    expect(await tagged()).toBe(0);

    // Apply to existing contacts: progress to done, and the run log counts the two it changed.
    await page.getByTestId('tag-rule-backfill').click();
    await page.locator('[data-testid=job-progress][data-status=done]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=run-status][data-status=done]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('run-changed').first().textContent()).toBe('2');
    expect(await tagged()).toBe(2);

    // From now on the rule acts by itself (through the outbox), and the log shows it.
    await message(ids[2]!, '那价格呢');
    await expect.poll(tagged, { timeout: 30_000 }).toBe(3);
    await page.reload();
    await expect.poll(() => page.locator('[data-testid=run-status][data-status=applied]').count(), { timeout: 15_000 }).toBe(1);

    // The list shows the rule, enabled, with its trigger in words.
    await page.goto(`${server.url}/tag-rules`);
    await page.getByTestId('tag-rule-link').getByText('询价打标').waitFor();
    expect(await page.locator('tbody').innerText()).toContain('价格');
  }, 180_000);
});
