// Live codes and group codes in the console, in Chromium against a fresh server: an owner builds a
// live code in the drawer (a landing page, one staff member with a daily cap, a tag), finds it in
// the list, scans it once and sees its statistics chart and CSV export; then makes a group code,
// adds a group by its invite link and one by an uploaded QR image, and sees them listed with their fill.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall as callApi, chooseOption, hasChromium, openConsole, signInChinese, warnIfNoChromium, type BrowserSession } from '../support/browser.js';
import type { TestServer } from '../support/server.js';

warnIfNoChromium('e2e/livecodes');

interface LiveCode { id: string; slug: string; name: string; landingUrl: string | null; staff: Array<{ memberId: string; dailyCap: number | null }>; tagIds: string[] }
interface GroupCode { id: string; groups: Array<{ name: string; joinUrl: string | null; qrImageUrl: string | null; capacity: number; dailyCap: number | null }> }

describe.skipIf(!hasChromium)('live codes and group codes in Chromium', () => {
  let session: BrowserSession;
  let server: TestServer;
  let page: Page;

  const apiCall = <T,>(method: 'GET' | 'POST', path: string, data?: unknown) => callApi<T>(session, method, path, data);

  beforeAll(async () => {
    session = await openConsole({ width: 1400, height: 1000 });
    ({ server, page } = session);
  }, 120_000);

  afterAll(() => session?.close());

  it('builds a live code, sees it listed, its stats chart and CSV; makes a group code with a group', async () => {
    await signInChinese(session);
    const { group } = await apiCall<{ group: { id: string } }>('POST', '/tag-groups', { name: '来源' });
    const { tag } = await apiCall<{ tag: { id: string } }>('POST', '/tags', { groupId: group.id, name: '活码客户' });
    const { items: [owner] } = await apiCall<{ items: Array<{ id: string; name: string }> }>('GET', '/members');

    // The builder: a landing page, one staff member capped at 50 a day, a tag.
    await page.goto(`${server.url}/live-codes`);
    await page.getByText('还没有渠道活码').waitFor();
    await page.getByTestId('live-code-create').first().click();
    await page.getByTestId('live-code-name').fill('春季海报');
    await page.getByTestId('live-code-target').getByText('落地页').click();
    await page.getByTestId('live-code-landing').fill('https://example.com/spring');
    await page.getByTestId('staff-add').click();
    await page.getByTestId('staff-member').click();
    await chooseOption(page, owner!.name);
    await page.getByTestId('staff-cap').fill('50');
    await page.getByTestId('live-code-tags').click();
    await chooseOption(page, '活码客户');
    await page.keyboard.press('Escape');
    await page.getByTestId('live-code-save').click();

    // Listed, and saved as built.
    await page.getByTestId('live-code-link').getByText('春季海报').waitFor();
    const { items: codes } = await apiCall<{ items: LiveCode[] }>('GET', '/live-codes');
    expect(codes).toHaveLength(1);
    const code = codes[0]!;
    expect(code.landingUrl).toBe('https://example.com/spring');
    expect(code.staff).toEqual([expect.objectContaining({ memberId: owner!.id, dailyCap: 50 })]);
    expect(code.tagIds).toEqual([tag.id]);

    // One scan of the public link, then the code's statistics: the chart draws and the totals count it.
    const scan = await page.request.get(`${server.url}/c/${code.slug}`, { maxRedirects: 0 });
    expect(scan.status()).toBe(302);
    await page.getByTestId('live-code-link').getByText('春季海报').click();
    await page.locator('[data-testid=live-code-chart] canvas').waitFor();
    expect(await page.getByTestId('live-code-total-scans').locator('.ant-statistic-content-value').innerText()).toBe('1');
    const csvHref = await page.getByTestId('live-code-csv').getAttribute('href');
    expect(csvHref).toMatch(new RegExp(`^/api/v1/live-codes/${code.id}/stats\\.csv`));
    const csv = await (await page.request.get(`${server.url}${csvHref}`)).text();
    expect(csv.replace(/^\uFEFF/, '').split('\n')[0]).toBe('day,scans,noStaffAvailable,adds,attributed,left,net,ordered,reachedStage');

    // A server-side refusal lands on the field it names (a blocked name over 50 characters: welcomeBlockedNames.0).
    await page.getByTestId('live-code-edit').click();
    await page.getByTestId('live-code-blocked').click();
    await page.keyboard.type('x'.repeat(60));
    await page.keyboard.press('Enter');
    await page.getByTestId('live-code-save').click();
    await page.locator('.ant-form-item-has-error', { has: page.getByTestId('live-code-blocked') }).locator('.ant-form-item-explain-error').waitFor();
    expect((await apiCall<{ liveCode: { welcomeBlockedNames: string[] } }>('GET', `/live-codes/${code.id}`)).liveCode.welcomeBlockedNames).toEqual([]);
    // Put right and saved: the whole code goes back as a patch, the landing page stays the target.
    await page.getByTestId('live-code-blocked').click();
    await page.keyboard.press('Backspace');
    await page.keyboard.type('测试');
    await page.keyboard.press('Enter');
    await page.getByTestId('live-code-name').fill('春季海报 2');
    await page.getByTestId('live-code-save').click();
    await page.getByTestId('live-code-title').getByText('春季海报 2').waitFor();
    const edited = (await apiCall<{ liveCode: LiveCode & { welcomeBlockedNames: string[] } }>('GET', `/live-codes/${code.id}`)).liveCode;
    expect(edited).toMatchObject({ name: '春季海报 2', landingUrl: 'https://example.com/spring', welcomeBlockedNames: ['测试'], tagIds: [tag.id] });
    expect(edited.staff).toEqual([expect.objectContaining({ memberId: owner!.id, dailyCap: 50, hours: null })]);

    // Two overlapping special periods: the server names the second one's first day, shown on its date range.
    await page.getByTestId('live-code-edit').click();
    for (const [i, [name, from, to]] of [['节日一', '2027-02-01', '2027-02-07'], ['节日二', '2027-02-05', '2027-02-10']].entries()) {
      await page.getByTestId('period-add').click();
      const row = page.getByTestId('period-row').nth(i);
      await row.getByTestId('period-name').fill(name!);
      await row.locator('.ant-picker-range input').first().click();
      await page.keyboard.type(from!);
      await page.keyboard.press('Enter');
      await page.keyboard.type(to!);
      await page.keyboard.press('Enter');
      await row.getByTestId('period-member').click();
      await chooseOption(page, owner!.name);
    }
    await page.getByTestId('live-code-save').click();
    const rangeError = page.getByTestId('period-row').nth(1).locator('.ant-form-item-has-error', { has: page.locator('.ant-picker-range') }).locator('.ant-form-item-explain-error');
    expect(await rangeError.innerText()).toContain('节日一');
    expect(await page.getByTestId('period-row').nth(0).locator('.ant-form-item-explain-error').count()).toBe(0);
    expect((await apiCall<{ liveCode: { periods: unknown[] } }>('GET', `/live-codes/${code.id}`)).liveCode.periods).toEqual([]);
    await page.keyboard.press('Escape');

    // A group code, and a group joined by its invite link.
    await page.goto(`${server.url}/group-codes`);
    await page.getByText('还没有群活码').waitFor();
    await page.getByTestId('group-code-create').first().click();
    await page.getByTestId('group-code-name').fill('福利群');
    await page.getByTestId('group-code-save').click();
    await page.getByTestId('group-code-title').getByText('福利群').waitFor();
    await page.getByTestId('group-add').first().click();
    await page.getByTestId('group-name').fill('福利一群');
    await page.getByTestId('group-join-url').fill('https://t.me/+welfare1');
    await page.getByTestId('group-capacity').fill('150');
    await page.getByTestId('group-save').click();
    await page.getByTestId('group-name-cell').getByText('福利一群').waitFor();
    expect(await page.getByTestId('group-filled').first().innerText()).toContain('0/150');

    // A second group by an uploaded QR image (any PNG will do: the live code's own QR code); it is served back byte for byte.
    const png = await (await page.request.get(`${server.url}/api/v1/live-codes/${code.id}/qr.png?size=256`)).body();
    await page.getByTestId('group-add').first().click();
    await page.getByTestId('group-name').fill('福利二群');
    await page.getByTestId('group-way').getByText('群二维码图片').click();
    await page.locator('.ant-drawer input[type=file]').setInputFiles({ name: 'group-qr.png', mimeType: 'image/png', buffer: png });
    await page.locator('.ant-drawer .ant-image img').waitFor();
    await page.getByTestId('group-save').click();
    await page.getByTestId('group-name-cell').getByText('福利二群').waitFor();

    const { items: groupCodes } = await apiCall<{ items: GroupCode[] }>('GET', '/group-codes');
    expect(groupCodes[0]!.groups).toEqual([
      expect.objectContaining({ name: '福利一群', joinUrl: 'https://t.me/+welfare1', qrImageUrl: null, capacity: 150, dailyCap: null }),
      expect.objectContaining({ name: '福利二群', joinUrl: null, qrImageUrl: expect.stringMatching(/\/qr\//), capacity: 200 }),
    ]);
    const image = await page.request.get(groupCodes[0]!.groups[1]!.qrImageUrl!.replace(/^https?:\/\/[^/]+/, server.url));
    expect(Buffer.compare(await image.body(), png)).toBe(0);

    // The QR group moved first: scans try it before the invite-link group.
    await page.getByRole('button', { name: '上移' }).nth(1).click();
    await expect.poll(() => page.getByTestId('group-name-cell').first().innerText()).toBe('福利二群');
    const moved = (await apiCall<{ groupCode: GroupCode }>('GET', `/group-codes/${groupCodes[0]!.id}`)).groupCode;
    expect(moved.groups.map((g) => g.name)).toEqual(['福利二群', '福利一群']);
    await page.goto(`${server.url}/group-codes`);
    await page.getByTestId('group-code-link').getByText('福利群').waitFor();
    expect(await page.getByTestId('group-code-groups').innerText()).toBe('2 个群，2 个有空位');
  }, 180_000);
});
