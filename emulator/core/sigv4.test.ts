import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { NodeSha256 } from '../test-support/sign';
import {
  ChunkSignatureChain,
  EMPTY_SHA256,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  chunkStringToSign,
  hmacHex,
  sha256Hex,
  signingKey,
  stringToSign,
} from './sigv4';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const when = new Date('2026-11-30T12:34:56Z');

function signer(service: string, s3: boolean): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET },
    region: 'eu-west-1',
    service,
    sha256: NodeSha256,
    uriEscapePath: !s3,
    // Outside S3 the clients do not send x-amz-content-sha256: the server hashes the body itself.
    applyChecksum: s3,
  });
}

interface Req {
  method: string;
  protocol: string;
  hostname: string;
  path: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: string;
}

/** The query string as the SDK's HTTP handler writes it on the wire. */
function wireQuery(query: Req['query']): string {
  const esc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === null) parts.push(esc(k));
    else for (const one of Array.isArray(v) ? v : [v]) parts.push(`${esc(k)}=${esc(one)}`);
  }
  return parts.join('&');
}

function fields(auth: string): { scope: string; signed: string[]; signature: string } {
  const m = /Credential=AKIDEXAMPLE\/([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)/.exec(auth);
  if (!m) throw new Error(`unexpected Authorization ${auth}`);
  return { scope: m[1]!, signed: m[2]!.split(';'), signature: m[3]! };
}

/** What the emulator computes for a request the SDK signed, from what would arrive on the wire. */
function serverSignature(r: Req, s3: boolean, tamper: (wire: { path: string; query: string; headers: string[] }) => void = () => {}): { expected: string; sent: string } {
  const { scope, signed, signature } = fields(r.headers.authorization!);
  const wire = { path: r.path, query: wireQuery(r.query), headers: Object.entries(r.headers).flat() };
  tamper(wire);
  const payloadHash = r.headers['x-amz-content-sha256'] ?? sha256Hex(r.body ?? '');
  const canonical = canonicalRequest({ method: r.method, rawPath: wire.path, rawQuery: wire.query, rawHeaders: wire.headers, signedHeaders: signed, payloadHash, s3 });
  const [date, region, service] = scope.split('/');
  const expected = hmacHex(signingKey(SECRET, date!, region!, service!), stringToSign(r.headers['x-amz-date']!, scope, canonical));
  return { expected, sent: signature };
}

async function sign(service: string, s3: boolean, r: Omit<Req, 'protocol'>): Promise<Req> {
  return (await signer(service, s3).sign({ protocol: 'http:', ...r }, { signingDate: when })) as unknown as Req;
}

describe('SigV4 canonical request, checked against the SDK signer', () => {
  it('agrees on an S3 request whose key needs encoding (path signed as sent)', async () => {
    const key = 'photos/a b+c/ü/..//x%y.txt';
    const path = `/bucket/${key.split('/').map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/')}`;
    const r = await sign('s3', true, {
      method: 'PUT',
      hostname: 'bucket.s3.localhost',
      path,
      query: { tagging: '', 'x-id': 'PutObject' },
      headers: { host: 'bucket.s3.localhost:4566', 'x-amz-content-sha256': sha256Hex('hello'), 'x-amz-meta-note': '  two   spaces  ', 'content-type': 'text/plain' },
      body: 'hello',
    });
    const { expected, sent } = serverSignature(r, true);
    expect(expected).toBe(sent);
    // The same bytes with the path normalised, as if S3 did, would not match: S3 does not normalise.
    expect(serverSignature(r, true, (w) => (w.path = w.path.replace('/..//', '/'))).expected).not.toBe(sent);
  });

  it('agrees on a JSON request (path double-encoded and normalised, body hashed)', async () => {
    const body = JSON.stringify({ repositoryName: 'team/app' });
    const r = await sign('ecr', false, {
      method: 'POST',
      hostname: 'localhost',
      path: '/a/./b/../c%2Fd/',
      query: {},
      headers: { host: 'localhost:4566', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories', 'content-type': 'application/x-amz-json-1.1' },
      body,
    });
    expect(serverSignature(r, false).expected).toBe(serverSignature(r, false).sent);
    expect(canonicalUri('/a/./b/../c%2Fd/', false)).toBe('/a/c%252Fd/');
  });

  it('agrees on a query with repeated names, bare names and reserved characters', async () => {
    const r = await sign('cloudfront', false, {
      method: 'GET',
      hostname: 'localhost',
      path: '/2020-05-31/distribution',
      query: { Marker: 'a b&c=d/é', MaxItems: '10', list: ['z', 'a', 'm'], 'b~key': '' },
      headers: { host: 'localhost:4566' },
    });
    expect(serverSignature(r, false).expected).toBe(serverSignature(r, false).sent);
  });

  it('sorts by name, then value, on the encoded forms', () => {
    expect(canonicalQuery('b=2&a=2&a=1&c&%41=x')).toBe('A=x&a=1&a=2&b=2&c=');
    expect(canonicalQuery('x=a+b&y=%7e&X-Amz-Signature=abc', 'X-Amz-Signature')).toBe('x=a%2Bb&y=~');
    // A broken escape stays literal, as the SDK signs what it is given.
    expect(canonicalQuery('%%%')).toBe('%25%25%25=');
  });

  it('fails on any tampering: a header value, the query, the path, the body, or the secret', async () => {
    const r = await sign('sts', false, {
      method: 'POST',
      hostname: 'localhost',
      path: '/',
      query: {},
      headers: { host: 'localhost:4566', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    const ok = serverSignature(r, false);
    expect(ok.expected).toBe(ok.sent);
    expect(serverSignature(r, false, (w) => (w.headers[w.headers.indexOf('host') + 1] = 'evil:4566')).expected).not.toBe(ok.sent);
    expect(serverSignature(r, false, (w) => (w.query = 'Action=AssumeRole')).expected).not.toBe(ok.sent);
    expect(serverSignature(r, false, (w) => (w.path = '/x')).expected).not.toBe(ok.sent);
    expect(serverSignature({ ...r, body: 'Action=AssumeRole&Version=2011-06-15' }, false).expected).not.toBe(ok.sent);
    const { scope, signature } = fields(r.headers.authorization!);
    const canonical = canonicalRequest({ method: 'POST', rawPath: '/', rawQuery: '', rawHeaders: Object.entries(r.headers).flat(), signedHeaders: fields(r.headers.authorization!).signed, payloadHash: sha256Hex(r.body!), s3: false });
    const [d, reg, svc] = scope.split('/');
    expect(hmacHex(signingKey('not-the-secret', d!, reg!, svc!), stringToSign(r.headers['x-amz-date']!, scope, canonical))).not.toBe(signature);
  });

  it('agrees on a presigned URL (query auth, X-Amz-Signature left out of the canonical query)', async () => {
    const presigned = (await signer('s3', true).presign(
      { protocol: 'http:', method: 'GET', hostname: 'localhost', path: '/bucket/k%20ey', query: { 'response-content-type': 'text/plain' }, headers: { host: 'localhost:4566', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      { signingDate: when, expiresIn: 300 },
    )) as unknown as Req;
    const q = presigned.query as Record<string, string>;
    const rawQuery = wireQuery(presigned.query);
    const canonical = canonicalRequest({
      method: 'GET',
      rawPath: presigned.path,
      rawQuery,
      rawHeaders: Object.entries(presigned.headers).flat(),
      signedHeaders: q['X-Amz-SignedHeaders']!.split(';'),
      payloadHash: 'UNSIGNED-PAYLOAD',
      s3: true,
      excludeQuery: 'X-Amz-Signature',
    });
    const scope = q['X-Amz-Credential']!.split('/').slice(1).join('/');
    const expected = hmacHex(signingKey(SECRET, '20261130', 'eu-west-1', 's3'), stringToSign(q['X-Amz-Date']!, scope, canonical));
    expect(expected).toBe(q['X-Amz-Signature']);
    const tampered = canonicalRequest({ method: 'GET', rawPath: presigned.path, rawQuery: rawQuery.replace('text%2Fplain', 'text%2Fhtml'), rawHeaders: Object.entries(presigned.headers).flat(), signedHeaders: ['host'], payloadHash: 'UNSIGNED-PAYLOAD', s3: true, excludeQuery: 'X-Amz-Signature' });
    expect(hmacHex(signingKey(SECRET, '20261130', 'eu-west-1', 's3'), stringToSign(q['X-Amz-Date']!, scope, tampered))).not.toBe(expected);
  });
});

describe('chunk signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', () => {
  it('reproduces the example of the S3 documentation', () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html, "Example: PUT Object":
    // 66560 bytes of 'a' in a 65536-byte chunk, a 1024-byte chunk and the final empty chunk.
    const key = signingKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'us-east-1', 's3');
    const scope = '20130524/us-east-1/s3/aws4_request';
    const seed = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
    const chain = new ChunkSignatureChain(key, '20130524T000000Z', scope, seed);
    expect(chain.verifyChunk('ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648', sha256Hex(Buffer.alloc(65536, 'a')))).toBe(true);
    expect(chain.verifyChunk('0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497', sha256Hex(Buffer.alloc(1024, 'a')))).toBe(true);
    expect(chain.verifyChunk('b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9', EMPTY_SHA256)).toBe(true);
  });

  it('agrees with chunk signatures made by the SDK signer, and refuses a changed or reordered chunk', async () => {
    const s = signer('s3', true);
    const scope = '20261130/eu-west-1/s3/aws4_request';
    const amzDate = '20261130T123456Z';
    const seed = 'f'.repeat(64);
    const chunks = [Buffer.from('first chunk'), Buffer.from('second'), Buffer.alloc(0)];
    const sigs: string[] = [];
    let prev = seed;
    for (const c of chunks) {
      prev = await s.sign(chunkStringToSign(amzDate, scope, prev, sha256Hex(c)), { signingDate: when });
      sigs.push(prev);
    }
    const key = signingKey(SECRET, '20261130', 'eu-west-1', 's3');
    const ok = new ChunkSignatureChain(key, amzDate, scope, seed);
    expect(chunks.every((c, i) => ok.verifyChunk(sigs[i]!, sha256Hex(c)))).toBe(true);
    const changed = new ChunkSignatureChain(key, amzDate, scope, seed);
    expect(changed.verifyChunk(sigs[0]!, sha256Hex('First chunk'))).toBe(false);
    const reordered = new ChunkSignatureChain(key, amzDate, scope, seed);
    expect(reordered.verifyChunk(sigs[1]!, sha256Hex(chunks[1]!))).toBe(false);
  });
});
