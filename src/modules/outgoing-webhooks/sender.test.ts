import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkEndpointUrl, isPublicAddress, postWebhook } from './sender.js';

describe('isPublicAddress', () => {
  it('judges an IPv6 address that carries an IPv4 one by the IPv4 it carries', () => {
    const internal = [
      '::7f00:1', // IPv4-compatible 127.0.0.1
      '::127.0.0.1',
      '::a00:1',
      '::8.8.8.8', // IPv4-compatible is deprecated: refused whatever it carries
      '::ffff:127.0.0.1', // IPv4-mapped
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe', // 169.254.169.254
      '::ffff:0:7f00:1', // IPv4-translated (RFC 6145)
      '64:ff9b::7f00:1', // NAT64 well-known prefix
      '64:ff9b::10.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b:1::808:808', // NAT64 local-use prefix: a site's own translator
      '2002:7f00:1::', // 6to4 of 127.0.0.1
      '2002:c0a8:101::1', // 6to4 of 192.168.1.1
      '2001:0:7f00:1:0:0:f7f7:f7f7', // Teredo, server 127.0.0.1
      '2001:0:4136:e378:8000:63bf:80ff:fffe', // Teredo, client 127.0.0.1 (inverted)
      '::',
      '::1',
    ];
    for (const address of internal) expect(isPublicAddress(address), address).toBe(false);
    const external = ['8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '64:ff9b::8.8.8.8', '2002:808:808::1', '2001:0:4136:e378:8000:63bf:f7f7:f7f7'];
    for (const address of external) expect(isPublicAddress(address), address).toBe(true);
  });

  it('refuses such URLs before any network use, without echoing the address', () => {
    for (const url of [
      'https://[::7f00:1]/hook',
      'https://[::127.0.0.1]/hook',
      'https://[::ffff:7f00:1]/hook',
      'https://[64:ff9b::127.0.0.1]/hook',
      'https://[2002:7f00:1::]/hook',
      'https://10.0.0.5/hook',
      'https://vm.internal/hook',
    ]) {
      expect(() => checkEndpointUrl(url, false), url).toThrow(/^the destination is not allowed/);
    }
  });
});

describe('postWebhook', () => {
  it('says only that the destination is not allowed when a name resolves to an internal address', async () => {
    let reached = 0;
    const server = createServer((_req, res) => {
      reached += 1;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = new URL(`http://localhost:${(server.address() as AddressInfo).port}/hook`);
      const error = await postWebhook(url, {}, '{}', { timeoutMs: 5_000, allowPrivate: false }).then(
        () => null,
        (caught: Error) => caught,
      );
      expect(error?.message).toMatch(/^the destination is not allowed/);
      expect(error?.message).not.toMatch(/127\.0\.0\.1|::1|resolves to|localhost/);
      expect(reached).toBe(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
