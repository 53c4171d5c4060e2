// The widget adapter: its settings, its refusal of /hooks, its send (no provider: Renmai's id),
// and identity verification against an independently computed vector.
import { describe, expect, it } from 'vitest';
import { ChannelPayloadError } from '../adapter.js';
import { widgetAdapter, widgetSettings } from './adapter.js';
import { userHash, userHashMatches } from './identity.js';

const runtime = { settings: widgetSettings.parse({ allowedOrigins: ['https://shop.example'] }), secrets: { identitySecret: 'a widget secret of some length' } };

describe('widget adapter', () => {
  it('fills defaults and refuses bad settings', () => {
    expect(runtime.settings).toMatchObject({ colors: { primary: '#1677ff' }, identityVerification: 'optional', prechat: { enabled: false, fields: [] } });
    expect(widgetSettings.safeParse({ allowedOrigins: [] }).success).toBe(false);
    expect(widgetSettings.safeParse({ allowedOrigins: ['https://shop.example/path'] }).success).toBe(false);
    expect(widgetSettings.safeParse({ allowedOrigins: ['https://*.shop.example'], colors: { primary: 'red' } }).success).toBe(false);
    const dup = { allowedOrigins: ['https://a.example'], prechat: { enabled: true, fields: [{ key: 'name', kind: 'name' }, { key: 'name', kind: 'text' }] } };
    expect(widgetSettings.safeParse(dup).success).toBe(false);
    expect(widgetSettings.parse({ allowedOrigins: ['HTTPS://Shop.Example:8443'] }).allowedOrigins).toEqual(['https://shop.example:8443']);
  });

  it('takes no /hooks traffic: verify refuses, parse throws', () => {
    expect(widgetAdapter.verify()).toBe(false);
    expect(() => widgetAdapter.parse()).toThrow(ChannelPayloadError);
    expect(widgetAdapter.capabilities().messageKinds).toEqual(['text', 'image', 'file']);
    expect(widgetAdapter.identityType()).toBe('web_visitor');
  });

  it('sends by answering with Renmai’s own id', async () => {
    const sent = await widgetAdapter.send({ id: 'm-1', recipient: { externalId: 'v' }, threadKey: 'v', content: { kind: 'text', text: 'hi' }, attachments: [] });
    expect(sent).toEqual({ providerMessageId: 'm-1' });
  });

  it('verifies user hashes (vector: echo -n user-42 | openssl dgst -sha256 -hmac "a widget secret of some length")', () => {
    const secret = runtime.secrets.identitySecret;
    expect(userHash(secret, 'user-42')).toBe('bc1193c45f01e061c32a686f53552e0a1f3b879b25b289258f2971225eee678a');
    expect(userHashMatches(secret, 'user-42', userHash(secret, 'user-42').toUpperCase())).toBe(true);
    expect(userHashMatches(secret, 'user-43', userHash(secret, 'user-42'))).toBe(false);
    expect(userHashMatches(secret, 'user-42', 'bc1193c45f')).toBe(false);
    expect(userHashMatches('another secret of some length', 'user-42', userHash(secret, 'user-42'))).toBe(false);
  });
});
