// Channel setup in Chromium: a Telegram channel's page shows the provider steps (in Chinese),
// Connect registers the webhook at a fake Bot API, and 测试连接 shows the bot — or, when the token
// is refused, the stable reason in words.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram } from '../../src/channels/telegram/fake-telegram.js';
import { apiCall, hasChromium, openConsole, signInChinese, warnIfNoChromium, type BrowserSession } from '../support/browser.js';

warnIfNoChromium('e2e/channel-setup');

const TOKEN = '654321:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789';

describe.skipIf(!hasChromium)('channel setup in Chromium', () => {
  let session: BrowserSession;
  let page: Page;
  let tg: Awaited<ReturnType<typeof startFakeTelegram>>;

  beforeAll(async () => {
    tg = await startFakeTelegram(TOKEN);
    session = await openConsole({ width: 1400, height: 1000 }, { CHANNEL_ALLOW_PRIVATE_TARGETS: 'true' });
    page = session.page;
    page.setDefaultTimeout(30_000);
    await signInChinese(session);
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await tg?.close();
  });

  it('shows the steps, connects, and tests the connection with the reason of a failure', async () => {
    const { channel } = await apiCall<{ channel: { id: string; hookUrl: string } }>(session, 'POST', '/channels', {
      type: 'telegram',
      name: '客服机器人',
      settings: { apiBaseUrl: tg.url },
      secrets: { botToken: TOKEN },
    });
    await page.goto(`${session.server.url}/settings/channels`);
    await page.getByTestId('channel-link').filter({ hasText: '客服机器人' }).click();
    const setup = page.getByTestId('channel-setup');
    await setup.getByText('在 Telegram 中打开 @BotFather').waitFor();
    expect(await setup.getByTestId('channel-setup-hook-url').textContent()).toContain(channel.hookUrl);

    await setup.getByTestId('channel-connect').click();
    await setup.getByTestId('channel-connected').waitFor();
    expect((tg.calls('setWebhook').at(-1)!.json() as { url: string }).url).toBe(channel.hookUrl);

    await setup.getByTestId('channel-test').click();
    await setup.getByTestId('channel-test-ok').getByText('连接成功：Renmai Test @renmai_test_bot').waitFor();

    tg.fail('getMe', { status: 401, description: 'Unauthorized' });
    await setup.getByTestId('channel-test').click();
    const failed = setup.getByTestId('channel-test-failed');
    await failed.getByText('连接失败：凭据错误或已失效').waitFor();
    expect(await failed.getAttribute('data-reason')).toBe('token_invalid');
  });
});
