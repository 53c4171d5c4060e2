// The customer pages end to end: the real server (fresh data dir) and the built console in Chromium.
// Import a CSV through the mapping screen, filter the list, batch-tag the filtered contacts, open a
// profile and add a note. Needs /usr/bin/chromium; without it the suite is skipped with a message.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall as callApi, hasChromium, openConsole, signInChinese, warnIfNoChromium, type BrowserSession } from '../support/browser.js';
import type { TestServer } from '../support/server.js';

warnIfNoChromium('e2e/contacts');

// "Wohnort" is a header no suggestion knows, so the test maps it by hand.
const CSV = [
  '姓名,手机,公司,Wohnort',
  '赵一,13800000001,E2E 测试公司,杭州',
  '钱二,13800000002,E2E 测试公司,苏州',
  '孙三,13800000003,别家公司,上海',
].join('\n');

describe.skipIf(!hasChromium)('customer pages in Chromium', () => {
  let session: BrowserSession;
  let server: TestServer;
  let page: Page;

  const apiCall = <T,>(method: 'GET' | 'POST', path: string, data?: unknown) => callApi<T>(session, method, path, data);

  beforeAll(async () => {
    session = await openConsole({ width: 1280, height: 900 });
    ({ server, page } = session);
  }, 120_000);

  afterAll(() => session?.close());

  it('imports a CSV, filters, batch-tags, and adds a note on a profile', async () => {
    await signInChinese(session);

    // A tag to apply later.
    const { group } = await apiCall<{ group: { id: string } }>('POST', '/tag-groups', { name: 'E2E 分组' });
    const { tag } = await apiCall<{ tag: { id: string } }>('POST', '/tags', { groupId: group.id, name: 'E2E 标签', color: '#fa8c16' });

    // Import: upload, map the unknown column by hand, preview, start, wait for the summary.
    await page.goto(`${server.url}/contacts/import`);
    await page.locator('input[type=file]').setInputFiles({ name: 'e2e.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await page.getByTestId('import-mapping').waitFor();
    const wohnort = page.getByTestId('map-Wohnort');
    await wohnort.click();
    await page.keyboard.type('城市');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: /^城市$/ }).click();
    await expect.poll(() => wohnort.innerText()).toContain('城市');
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-preview').getByText('杭州').waitFor();
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
    const summary = await page.getByTestId('import-summary').innerText();
    expect(summary).toMatch(/新建\s*3/);

    // Filter the list by company: two of the three.
    await page.goto(`${server.url}/contacts`);
    await page.getByTestId('contact-count').getByText(/3/).waitFor();
    await page.getByTestId('contact-search').locator('input').fill('E2E 测试公司');
    await page.getByTestId('contact-search').locator('input').press('Enter');
    await expect.poll(() => page.getByTestId('contact-count').innerText()).toContain('2');
    await expect.poll(() => page.getByTestId('contact-link').count()).toBe(2);

    // Batch-tag the filtered contacts.
    await page.locator('thead .ant-checkbox-input').check();
    await page.getByTestId('batch-bar').waitFor();
    await page.getByTestId('batch-actions').click();
    await page.getByRole('menuitem', { name: '添加标签' }).click();
    await page.getByTestId('batch-tags').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'E2E 标签' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('batch-run').click();
    await page.getByTestId('batch-bar').waitFor({ state: 'detached', timeout: 30_000 }).catch(async () => {
      // More than the synchronous limit would answer with a job: wait for its progress bar to finish.
      await page.locator('[data-testid=job-progress][data-status=done]').waitFor({ timeout: 30_000 });
    });
    const tagged = await apiCall<{ count: number }>('POST', '/contacts/count', { filter: { tags: { any: [tag.id] } } });
    expect(tagged.count).toBe(2);
    await page.getByTestId('contact-link').first().waitFor();
    await expect.poll(() => page.locator('tbody').getByText('E2E 标签').count()).toBe(2);

    // A profile: add a note and see it on the timeline.
    await page.getByTestId('contact-link').first().click();
    await page.getByTestId('profile-name').waitFor();
    expect(await page.getByTestId('profile-tags').innerText()).toContain('E2E 标签');
    const note = `电话里约了下周拜访 ${Date.now()}`;
    await page.getByTestId('note-body').fill(note);
    await page.getByTestId('log-submit').click();
    await page.getByTestId('timeline').getByText(note).waitFor();
    expect(await page.locator('[data-testid=timeline-item][data-type=note]').count()).toBeGreaterThanOrEqual(1);
  }, 180_000);
});
