// The RFM page and the profile's cards end to end, in Chromium against a fresh server: orders are
// recorded through the API, threshold scoring is set through the settings form (which queues the
// recompute, followed by its progress bar), the layer tiles must show where the thresholds put
// each customer, a layer's tile lists exactly its customers, a trigger rule is created through the
// form, and a customer's profile shows their layer and the segment that selects it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall as callApi, hasChromium, openConsole, signInChinese, warnIfNoChromium, type BrowserSession } from '../support/browser.js';
import type { TestServer } from '../support/server.js';

warnIfNoChromium('e2e/rfm');

const DAY = 86_400_000;
// With the thresholds below (R: ≤365/180/30/7 days, F: ≥2/3/4/5 orders, M: ≥100/500/1000/5000)
// and "high" from 3: 大客户 R5 F5 M5 → important_value; 沉睡大客户 R2 F4 M4 → important_keep;
// 新客户 R5 F1 M1 → general_develop. 无订单 has no counted order.
const customers = [
  { name: 'RFM 大客户', orders: 5, amount: 2000, daysAgo: 1, layer: 'important_value' },
  { name: 'RFM 沉睡大客户', orders: 4, amount: 500, daysAgo: 200, layer: 'important_keep' },
  { name: 'RFM 新客户', orders: 1, amount: 50, daysAgo: 1, layer: 'general_develop' },
  { name: 'RFM 无订单', orders: 0, amount: 0, daysAgo: 0, layer: null },
];
const thresholds = { r: [365, 180, 30, 7], f: [2, 3, 4, 5], m: [100, 500, 1000, 5000] };

describe.skipIf(!hasChromium)('RFM page and profile cards in Chromium', () => {
  let session: BrowserSession;
  let server: TestServer;
  let page: Page;

  const apiCall = <T,>(method: 'GET' | 'POST', path: string, data?: unknown) => callApi<T>(session, method, path, data);

  beforeAll(async () => {
    session = await openConsole({ width: 1400, height: 1000 });
    ({ server, page } = session);
  }, 120_000);

  afterAll(() => session?.close());

  it('scores by thresholds set in the form, lists a layer, makes a rule, and shows the layer on a profile', async () => {
    await signInChinese(session);

    const ids: Record<string, string> = {};
    for (const c of customers) {
      const { contact } = await apiCall<{ contact: { id: string } }>('POST', '/contacts', { name: c.name });
      ids[c.name] = contact.id;
      for (let i = 0; i < c.orders; i++) {
        await apiCall('POST', `/contacts/${contact.id}/timeline`, {
          type: 'order', occurredAt: new Date(Date.now() - c.daysAgo * DAY).toISOString(),
          props: { orderId: `${c.name}-${i}`, amount: c.amount, currency: 'CNY' },
        });
      }
    }

    // Settings: threshold scoring; saving queues the recompute and the page follows its progress.
    await page.goto(`${server.url}/rfm?tab=settings`);
    await page.getByTestId('rfm-window').waitFor();
    await page.getByTestId('rfm-scoring').getByText('固定阈值').click();
    for (const [k, values] of Object.entries(thresholds)) {
      for (const [i, v] of values.entries()) await page.getByTestId(`threshold-${k}-${i + 2}`).fill(String(v));
    }
    await page.getByTestId('rfm-settings-save').click();
    await page.locator('[data-testid=job-progress][data-status=done]').waitFor({ timeout: 60_000 });

    // The distribution: each customer in the layer the thresholds give, the others empty.
    await page.getByRole('tab', { name: '分布' }).click();
    await page.getByTestId('rfm-layer').first().waitFor();
    const counts = Object.fromEntries(await page.getByTestId('rfm-layer').evaluateAll((tiles) =>
      tiles.map((t) => [t.getAttribute('data-layer'), t.querySelector('[data-testid=rfm-layer-count]')?.textContent ?? ''])));
    const want = Object.fromEntries(['important_value', 'important_develop', 'important_keep', 'important_retain', 'general_value', 'general_develop', 'general_keep', 'general_retain']
      .map((l) => [l, String(customers.filter((c) => c.layer === l).length)]));
    expect(counts).toEqual(want);

    // A layer's tile lists its customers, and only them.
    await page.locator('[data-testid=rfm-layer][data-layer=important_keep]').click();
    await expect.poll(() => page.getByTestId('rfm-customer').allInnerTexts()).toEqual(['RFM 沉睡大客户']);

    // A trigger rule through the form.
    await page.getByRole('tab', { name: '触发规则' }).click();
    await page.getByTestId('rfm-rule-create').click();
    await page.getByTestId('rfm-rule-name-input').fill('重要价值流失提醒');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByTestId('rfm-rule-name').getByText('重要价值流失提醒').waitFor();
    const { items: rules } = await apiCall<{ items: Array<{ name: string; fromLayers: string[]; toLayers: string[] }> }>('GET', '/rfm/rules');
    expect(rules).toEqual([expect.objectContaining({ name: '重要价值流失提醒', fromLayers: ['important_value'], toLayers: ['important_retain'] })]);

    // The profile: the layer on the RFM card, and a segment on the layer among its segments.
    const { segment } = await apiCall<{ segment: { id: string } }>('POST', '/segments', {
      name: '重要价值客户', definition: { kind: 'group', op: 'and', conditions: [{ kind: 'rfm_layer', op: 'in', layers: ['important_value'] }] },
    });
    await page.goto(`${server.url}/contacts/${ids['RFM 大客户']}`);
    await page.getByTestId('profile-rfm-layer').waitFor();
    expect(await page.getByTestId('profile-rfm-layer').getAttribute('data-layer')).toBe('important_value');
    await page.getByTestId('profile-segments').locator(`a[href="/segments/${segment.id}"]`).waitFor();
    await page.getByTestId('profile-preferences').waitFor();

    // A contact without orders: the RFM card says why it is empty, no segment.
    await page.goto(`${server.url}/contacts/${ids['RFM 无订单']}`);
    await page.getByTestId('profile-rfm').getByText('还没有计入的订单').waitFor();
    expect(await page.getByTestId('profile-segments').locator('a[href^="/segments/"]').count()).toBe(0);
  }, 180_000);
});
