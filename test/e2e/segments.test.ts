// The segment builder end to end: the real server (fresh data dir) and the built console in
// Chromium. Contacts and tags are made through the API; the segment is built through the UI with
// two OR-groups under the root AND, the live count must equal what the data says, and the saved
// segment must hold exactly those members. Needs /usr/bin/chromium; without it the suite is skipped.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall as callApi, hasChromium, openConsole, signInChinese, warnIfNoChromium, type BrowserSession } from '../support/browser.js';
import type { TestServer } from '../support/server.js';

warnIfNoChromium('e2e/segments');

// (VIP or in 杭州) and (company contains 云杉 or tagged 新客): A, C, E and F.
const people = [
  { name: '分群甲', city: '杭州', company: '云杉科技', tags: ['VIP'], match: true },
  { name: '分群乙', city: '上海', company: '星河贸易', tags: ['VIP'], match: false },
  { name: '分群丙', city: '杭州', company: '星河贸易', tags: ['新客'], match: true },
  { name: '分群丁', city: '北京', company: '云杉科技', tags: [], match: false },
  { name: '分群戊', city: '苏州', company: '星河贸易', tags: ['VIP', '新客'], match: true },
  { name: '分群己', city: '杭州', company: '云杉科技', tags: [], match: true },
  { name: '分群庚', city: '深圳', company: '云杉科技', tags: ['新客'], match: false },
  { name: '分群辛', city: '上海', company: '星河贸易', tags: [], match: false },
];
const expected = people.filter((p) => p.match).length;

describe.skipIf(!hasChromium)('segment builder in Chromium', () => {
  let session: BrowserSession;
  let server: TestServer;
  let page: Page;

  const apiCall = <T,>(method: 'GET' | 'POST', path: string, data?: unknown) => callApi<T>(session, method, path, data);

  /** Opens an antd select and picks the option with exactly this text (typing first narrows it). */
  async function choose(select: Locator, option: string, type?: string) {
    await select.click();
    if (type) await page.keyboard.type(type);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: new RegExp(`^${option}$`) }).click();
  }

  const settledCount = async () => {
    const el = page.getByTestId('live-count');
    return (await el.getAttribute('data-settled')) === 'true' ? (await el.textContent()) ?? '' : 'busy';
  };

  beforeAll(async () => {
    session = await openConsole({ width: 1400, height: 1000 });
    ({ server, page } = session);
  }, 120_000);

  afterAll(() => session?.close());

  it('builds a two-group segment, sees the count, and saves it', async () => {
    await signInChinese(session);

    const { group } = await apiCall<{ group: { id: string } }>('POST', '/tag-groups', { name: '分群测试' });
    const tagIds: Record<string, string> = {};
    for (const name of ['VIP', '新客']) tagIds[name] = (await apiCall<{ tag: { id: string } }>('POST', '/tags', { groupId: group.id, name })).tag.id;
    for (const p of people) {
      await apiCall('POST', '/contacts', { name: p.name, city: p.city, company: p.company, tagIds: p.tags.map((t) => tagIds[t]) });
    }

    await page.goto(`${server.url}/segments/new`);
    await page.getByTestId('definition-editor').waitFor();
    // No condition yet: the root AND matches everyone the owner sees (the demo data included).
    const everyone = await apiCall<{ count: number }>('POST', '/contacts/count', { filter: {} });
    await expect.poll(settledCount).toBe(String(everyone.count));

    // Group 1 (any of): tagged VIP, or city contains 杭州.
    await page.getByTestId('add-group').last().click();
    const first = page.locator('[data-testid=condition-group][data-depth="2"]').nth(0);
    await choose(first.getByTestId('condition').nth(0).getByTestId('condition-tags'), 'VIP');
    await page.keyboard.press('Escape');
    await first.getByTestId('add-condition').click();
    const city = first.getByTestId('condition').nth(1);
    await choose(city.getByTestId('condition-subject'), '城市', '城市');
    await city.getByTestId('condition-value').fill('杭州');

    // Group 2 (any of): company contains 云杉, or tagged 新客.
    await page.getByTestId('add-group').last().click();
    const second = page.locator('[data-testid=condition-group][data-depth="2"]').nth(1);
    await choose(second.getByTestId('condition').nth(0).getByTestId('condition-tags'), '新客');
    await page.keyboard.press('Escape');
    await second.getByTestId('add-condition').click();
    const company = second.getByTestId('condition').nth(1);
    await choose(company.getByTestId('condition-subject'), '公司', '公司');
    await company.getByTestId('condition-value').fill('云杉');

    expect(await first.getAttribute('data-op')).toBe('or');
    expect(await second.getAttribute('data-op')).toBe('or');
    await expect.poll(settledCount, { timeout: 15_000 }).toBe(String(expected));

    await page.getByTestId('segment-name').fill('杭州或 VIP · 云杉或新客');
    await page.getByTestId('segment-save').click();
    await page.getByTestId('segment-title').waitFor();
    expect(await page.getByTestId('segment-member-count').textContent()).toBe(String(expected));
    await expect.poll(() => page.getByTestId('member-link').count()).toBe(expected);
    const names = await page.getByTestId('member-name').allInnerTexts();
    expect(names.map((n) => n.trim()).sort()).toEqual(people.filter((p) => p.match).map((p) => p.name).sort());

    // What was saved is the two-group definition the UI showed.
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const { segment } = await apiCall<{ segment: { kind: string; definition: { op: string; conditions: Array<{ kind: string; op: string; conditions: unknown[] }> } } }>('GET', `/segments/${id}`);
    expect(segment.kind).toBe('dynamic');
    expect(segment.definition.op).toBe('and');
    expect(segment.definition.conditions.map((c) => [c.kind, c.op, c.conditions.length])).toEqual([['group', 'or', 2], ['group', 'or', 2]]);
  }, 180_000);
});
