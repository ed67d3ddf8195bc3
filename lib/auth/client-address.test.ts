import { describe, expect, it } from 'vitest';
import { clientAddress, PEER_HEADER } from './client-address';

const h = (init: Record<string, string>) => new Headers(init);

describe('clientAddress', () => {
  it('with no trusted proxy, is the socket address whatever the client writes in X-Forwarded-For', () => {
    expect(clientAddress(h({ [PEER_HEADER]: '203.0.113.9' }), 0)).toBe('203.0.113.9');
    expect(clientAddress(h({ [PEER_HEADER]: '203.0.113.9', 'x-forwarded-for': '10.9.8.7' }), 0)).toBe('203.0.113.9');
    expect(clientAddress(h({ [PEER_HEADER]: '::ffff:203.0.113.9', 'x-forwarded-for': '1.1.1.1, 2.2.2.2' }), 0)).toBe('203.0.113.9');
  });

  it('with N trusted proxies, is the address the outermost of them saw', () => {
    // client wrote "1.1.1.1"; our proxy (10.0.0.2, the socket peer) appended the real client.
    const headers = h({ [PEER_HEADER]: '10.0.0.2', 'x-forwarded-for': '1.1.1.1, 198.51.100.4' });
    expect(clientAddress(headers, 1)).toBe('198.51.100.4');
    // Two proxies: a CDN appended the client, the load balancer appended the CDN.
    expect(clientAddress(h({ [PEER_HEADER]: '10.0.0.2', 'x-forwarded-for': '1.1.1.1, 198.51.100.4, 10.0.0.1' }), 2)).toBe('198.51.100.4');
    // Fewer entries than hops (a request that bypassed the proxy): the furthest one there is.
    expect(clientAddress(h({ [PEER_HEADER]: '198.51.100.4' }), 1)).toBe('198.51.100.4');
  });

  it('without the socket header, falls back to X-Forwarded-For as Next.js fills it', () => {
    expect(clientAddress(h({ 'x-forwarded-for': '127.0.0.1' }), 0)).toBe('127.0.0.1');
    expect(clientAddress(h({}), 0)).toBe('unknown');
  });
});
