// The headline test: a customer's site with the live-chat widget (its own origin) and an
// agent's console inbox, in two browser contexts against one real server with its worker. The
// visitor writes; the agent's open inbox shows it without a reload (the time it took is printed,
// not asserted — timings belong in benchmarks); the agent replies from the composer and the
// visitor sees it; markup sent either way is shown as text on both sides.
// Needs /usr/bin/chromium; without it the suite is skipped.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openConsole, signIn, warnIfNoChromium, type BrowserSession } from '../support/browser.js';
import { createWidgetChannelFor, memberApi, startWidgetHost, widgetOn, type WidgetHost } from '../support/widget-page.js';

warnIfNoChromium('e2e/inbox-widget');

const XSS = '<img src=x onerror=alert(1)>';

describe.skipIf(!hasChromium)('widget to console inbox in Chromium', () => {
  let session: BrowserSession;
  let agent: Page;
  let visitor: Page;
  let host: WidgetHost;
  const dialogs: string[] = [];
  const catchDialogs = (page: Page) =>
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });

  beforeAll(async () => {
    session = await openConsole({ width: 1400, height: 900 });
    agent = session.page;
    host = await startWidgetHost(session.server.url);
    const visitorContext = await session.browser.newContext();
    visitor = await visitorContext.newPage();
    visitor.setDefaultTimeout(15_000);
    catchDialogs(agent);
    catchDialogs(visitor);
    await agent.goto(`${session.server.url}/login`);
    await signIn(session);
  }, 120_000);

  afterAll(async () => {
    await host?.close();
    await session?.close();
  });

  it('a visitor’s message reaches the open inbox live, the reply reaches the visitor, markup is text on both sides', async () => {
    const channelId = await createWidgetChannelFor(await memberApi(session.server), host.origin);
    await agent.goto(`${session.server.url}/inbox?view=all&status=open`);
    await agent.getByTestId('conversation-list-empty').waitFor();
    await agent.locator('[data-testid="live-state"][data-state="open"]').waitFor();
    // Stamps the moment a conversation row carrying the text enters the agent's page.
    await agent.evaluate(() => {
      const w = window as unknown as { seenAt?: number; noReload: boolean };
      w.noReload = true;
      new MutationObserver((_, observer) => {
        const rows = [...document.querySelectorAll('[data-testid="conversation-row"]')];
        if (rows.some((r) => r.textContent?.includes('Hello from the shop'))) {
          w.seenAt = Date.now();
          observer.disconnect();
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });

    await visitor.goto(host.pageUrl(channelId, { lang: 'en' }));
    const w = widgetOn(visitor);
    await w.launcher.click();
    await w.input.fill('Hello from the shop');
    const sentAt = Date.now();
    await visitor.getByTestId('renmai-send').click();

    const row = agent.getByTestId('conversation-row').filter({ hasText: 'Hello from the shop' });
    await row.waitFor();
    const seenAt = await agent.evaluate(() => (window as unknown as { seenAt?: number }).seenAt);
    expect(seenAt).toBeTypeOf('number');
    console.log(`[e2e/inbox-widget] visitor's send → row in the agent's open inbox: ${seenAt! - sentAt} ms`);
    expect(await agent.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);

    // The agent replies from the composer; the visitor sees it without reloading.
    await row.click();
    await agent.getByTestId('thread-title').waitFor();
    await agent.getByTestId('composer-input').fill('Hi! How can I help?');
    await agent.getByTestId('composer-send').click();
    await w.message('out', 'Hi! How can I help?').waitFor();

    // The visitor typing shows in the agent's thread; markup from the visitor is text in the console…
    await w.input.fill(XSS);
    await agent.getByTestId('typing').filter({ hasText: /\S/ }).waitFor();
    await visitor.getByTestId('renmai-send').click();
    await w.message('in', XSS).waitFor();
    const inConsole = agent.getByTestId('message-text').filter({ hasText: XSS });
    await inConsole.waitFor();
    expect(await inConsole.innerText()).toBe(XSS);
    expect(await agent.getByTestId('thread-messages').locator('img').count()).toBe(0);
    // … and markup from the agent is text in the widget.
    await agent.getByTestId('composer-input').fill(`${XSS} <b>bold?</b>`);
    await agent.getByTestId('composer-send').click();
    await w.message('out', `${XSS} <b>bold?</b>`).waitFor();
    expect(await w.messages.locator('img, b').count()).toBe(0);
    expect(dialogs).toEqual([]);
  }, 120_000);
});
