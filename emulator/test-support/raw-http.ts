import http from 'node:http';
import { signHeaders } from './sign';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const SIGN_MARKER = 'berth-test-sign ';

/**
 * An Authorization value that asks `rawRequest` to sign the request for real
 * (SigV4 with the SDK's signer, the key's secret being the key id, as for the
 * emulator's fixed identities) once its final method, path, headers and body
 * are known.
 */
export function sigV4For(service: string, key = 'test', region = 'us-east-1'): string {
  return `${SIGN_MARKER}${JSON.stringify({ service, key, region })}`;
}

/** A plain HTTP request with full control of headers (including Host), for wire-level assertions. */
export async function rawRequest(
  baseUrl: string,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const u = new URL(baseUrl);
  let headers = opts.headers;
  const marker = Object.entries(headers ?? {}).find(([k, v]) => k.toLowerCase() === 'authorization' && v.startsWith(SIGN_MARKER));
  if (headers && marker) {
    const o = JSON.parse(marker[1].slice(SIGN_MARKER.length)) as { service: string; key: string; region: string };
    const rest = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization' && k.toLowerCase() !== 'host'));
    const host = Object.entries(headers).find(([k]) => k.toLowerCase() === 'host')?.[1] ?? u.host;
    headers = await signHeaders(o, { method: opts.method ?? 'GET', path: opts.path ?? '/', headers: { ...rest, host }, body: opts.body });
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method: opts.method ?? 'GET',
        path: opts.path ?? '/',
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
