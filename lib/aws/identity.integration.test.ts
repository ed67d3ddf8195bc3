import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnEmulator, type SpawnedEmulator } from '@/emulator/test-support/spawn';
import { consoleAgainst } from '@/test/console-env';

// Which links Berth rewrites to the emulator's *.localhost addresses, over a
// real emulator. The console may learn that it talks to the emulator only
// from the emulator itself (a header on its STS answer), never from the mere
// presence of AWS_ENDPOINT_URL: the same emulator behind a pass-through proxy
// that drops the header stands for a VPC endpoint or any other endpoint that
// is not the emulator, and there every link must stay AWS's own.

let emu: SpawnedEmulator;
let proxy: http.Server;
let proxyUrl: string;

/** Forwards every request to the emulator unchanged and drops the emulator's self-announcement from the answers. */
function startStrippingProxy(target: URL): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        const headers = { ...up.headers };
        delete headers['x-berth-emulator'];
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet'] });
  proxy = await startStrippingProxy(new URL(emu.url));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((r) => proxy?.close(r));
  await emu?.stop();
});

/** Fresh modules (the emulator hint is remembered per process) under these endpoint variables. */
async function loadWith(endpoints: { AWS_ENDPOINT_URL: string } & Record<string, string>) {
  vi.unstubAllEnvs();
  for (const k of ['AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_CLOUDFRONT']) vi.stubEnv(k, undefined);
  consoleAgainst(endpoints.AWS_ENDPOINT_URL, { env: endpoints });
  const identity = await import('./identity');
  const { distributionUrl } = await import('@/lib/cloudfront/urls');
  const { websiteEndpoint } = await import('@/lib/s3/properties');
  return { ...identity, distributionUrl, websiteEndpoint };
}

describe('links to websites and distributions', () => {
  it('point at the emulator when the emulator says it is one', async () => {
    const m = await loadWith({ AWS_ENDPOINT_URL: emu.url });
    expect(await m.announcedEmulatorOrigin()).toBe(new URL(emu.url).origin);
    expect(await m.distributionUrl('d111111abcdef8.cloudfront.net')).toBe(`http://d111111abcdef8.cloudfront.localhost:${emu.port}`);
    expect(await m.websiteEndpoint('site', 'eu-central-1')).toBe(`http://site.s3-website-eu-central-1.localhost:${emu.port}`);
  });

  it('stay AWS’s own behind an endpoint that does not announce itself, though every call works', async () => {
    const m = await loadWith({ AWS_ENDPOINT_URL: proxyUrl });
    // The proxy reaches the same emulator: the identity is read through it.
    expect((await m.getCallerIdentity()).account).toMatch(/^\d{12}$/);
    expect(await m.announcedEmulatorOrigin()).toBeNull();
    expect(await m.distributionUrl('d111111abcdef8.cloudfront.net')).toBe('https://d111111abcdef8.cloudfront.net');
    expect(await m.websiteEndpoint('site', 'us-east-1')).toBe('http://site.s3-website-us-east-1.amazonaws.com');
    expect(await m.websiteEndpoint('site', 'eu-central-1')).toBe('http://site.s3-website.eu-central-1.amazonaws.com');
  });

  it('are rewritten only for a service whose endpoint is the emulator that announced itself', async () => {
    // STS and S3 go to the emulator; CloudFront goes elsewhere (here: through the proxy).
    const m = await loadWith({ AWS_ENDPOINT_URL: emu.url, AWS_ENDPOINT_URL_CLOUDFRONT: proxyUrl });
    expect(await m.distributionUrl('d111111abcdef8.cloudfront.net')).toBe('https://d111111abcdef8.cloudfront.net');
    expect(await m.websiteEndpoint('site', 'us-east-1')).toBe(`http://site.s3-website-us-east-1.localhost:${emu.port}`);
  });

  it('stay AWS’s own when STS cannot be reached, and the question is asked again later', async () => {
    const m = await loadWith({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1' });
    expect(await m.distributionUrl('d111111abcdef8.cloudfront.net')).toBe('https://d111111abcdef8.cloudfront.net');
    expect(await m.announcedEmulatorOrigin()).toBeNull();
  });
});

describe('who Berth is', () => {
  const faults = (rules: object[]) =>
    fetch(`${emu.url}/_emulator/faults`, rules.length ? { method: 'PUT', body: JSON.stringify(rules) } : { method: 'DELETE' });

  it('is read from STS once per process and set of credentials, again only when asked fresh, and a failure is not kept', async () => {
    const m = await loadWith({ AWS_ENDPOINT_URL: emu.url });
    // With STS failing from the start, nothing is read, and nothing is kept.
    expect((await faults([{ service: 'sts', operation: 'GetCallerIdentity', kind: 'error', rate: 1 }])).ok).toBe(true);
    try {
      await expect(m.getCallerIdentity()).rejects.toBeTruthy();
      await faults([]);
      const first = await m.getCallerIdentity();
      expect(first.arn).toBe('arn:aws:iam::123456789012:user/test');
      // STS fails again: every page still knows who Berth is, without asking.
      await faults([{ service: 'sts', operation: 'GetCallerIdentity', kind: 'error', rate: 1 }]);
      expect(await m.getCallerIdentity()).toEqual(first);
      expect(await Promise.all([m.getCallerIdentity(), m.getCallerIdentity()])).toEqual([first, first]);
      // The overview's check asks STS now, and sees it fail.
      await expect(m.getCallerIdentity({ fresh: true })).rejects.toBeTruthy();
    } finally {
      await faults([]);
    }
    expect(await m.getCallerIdentity({ fresh: true })).toEqual(await m.getCallerIdentity());
  });
});

describe('the partition Berth writes into ARNs', () => {
  it('is the one its identity lives in', async () => {
    const m = await loadWith({ AWS_ENDPOINT_URL: emu.url });
    const who = await m.getCallerIdentity();
    expect(who.partition).toBe(who.arn.split(':')[1]);
    expect(await m.currentPartition()).toBe(who.partition);
  });
});
