// Outbound requests made on a channel's behalf go only to public addresses: a URL an admin or a
// provider supplies must not reach the server's own loopback, the private network or a cloud
// metadata endpoint (SSRF). Tests allow private targets to reach their fake providers.
// Known gap: the name is resolved here and again by fetch, so a DNS answer that changes in
// between (rebinding) is not caught; pinning the resolved address needs a custom dispatcher.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ChannelError } from './adapter.js';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) blocked.addSubnet(net, bits, 'ipv6');

/** True for loopback, private, link-local, shared, multicast and IPv4-mapped forms of them. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = address.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/)?.[1];
  return mapped ? blocked.check(mapped, 'ipv4') : blocked.check(address, 'ipv6');
}

/** Throws a permanent ChannelError unless every address the URL's host resolves to is public. */
export async function assertPublicTarget(url: URL, allowPrivate: boolean): Promise<void> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ChannelError('permanent', `Only http(s) targets are allowed, not ${url.protocol}`, { reason: 'target_refused' });
  await assertPublicHost(url.hostname, allowPrivate);
}

/** The same for a host name or address reached by another protocol (SMTP, IMAP). */
export async function assertPublicHost(hostname: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true }).catch(() => [])).map((a) => (typeof a === 'string' ? a : a.address));
  if (!addresses.length) throw new ChannelError('temporary', `Cannot resolve ${hostname}`);
  if (addresses.some(isPrivateAddress)) throw new ChannelError('permanent', `${hostname} resolves to a private or loopback address`, { reason: 'target_refused' });
}
