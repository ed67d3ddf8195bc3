import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { newExtendedRequestId } from '../../core/ids';
import type { EmulatorEnv, RawRequestInfo } from '../../core/types';
import { XML_DECLARATION, escapeXml, isoTime, leaf, node } from '../../core/xml';
import { S3_NS } from '../s3/namespace';
import { httpDate, parseRange } from '../s3/model/objects';
import type { ObjectRow } from '../s3/model/store';
import { webAclBlocksByDefault, webAclByArn } from '../wafv2/store';
import type { CacheBehavior, DefaultCacheBehavior, DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';
import { distributionArn } from './model/common';
import { behaviorTtls, responseTtl } from './model/policies';
import { configOf, distributionByDomain } from './model/store';
import { originAllowed, originIdentity, readFromS3, s3BucketOfDomain, type OriginIdentity, type OriginRead } from './origins';
import { recordEdgeUsage } from '../ce/ledger';
import { recordEdgeRequest } from '../cloudwatch/edge-metrics';

type BehaviorConfig = DefaultCacheBehavior | CacheBehavior;

/**
 * The edge: requests whose Host is a distribution's domain are answered as
 * CloudFront would, from the emulator's own S3 store.
 *
 *   http://d….cloudfront.localhost:<port>/path   (browsers send *.localhost to loopback)
 *   Host: d….cloudfront.net                      (the DomainName itself, e.g. with curl --resolve)
 *
 * One edge location, with a durable cache of 200 responses per distribution
 * and path, kept for the cache behaviour's TTL or until an invalidation.
 */

const HOST_RE = /^(d[a-z0-9]+)\.cloudfront\.(?:localhost|net)$/;
const POP = 'EMU1-P1';

/** The DomainName a Host header addresses, or undefined when it is not a distribution's. */
export function edgeDomain(host: string): string | undefined {
  const m = HOST_RE.exec(host.replace(/:\d+$/, '').toLowerCase());
  return m?.[1] ? `${m[1]}.cloudfront.net` : undefined;
}

/** The address that opens a distribution through the emulator. */
export function edgeUrl(domainName: string, port: number | string): string {
  return `http://${domainName.replace(/\.cloudfront\.net$/, '.cloudfront.localhost')}:${port}`;
}

interface CacheRow {
  distribution_id: string;
  path: string;
  headers_json: string;
  blob_sha256: string | null;
  size: number;
  stored_at_ms: number;
  expires_at_ms: number;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** CloudFront path patterns: `*` any run of characters, `?` one; case-sensitive; the leading slash optional. */
function pathMatches(pattern: string, path: string): boolean {
  const p = pattern.startsWith('/') ? pattern : `/${pattern}`;
  const re = new RegExp(
    '^' +
      p
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('') +
      '$',
    's',
  );
  return re.test(path);
}

function behaviorFor(c: DistributionConfig, path: string): BehaviorConfig {
  return (c.CacheBehaviors?.Items ?? []).find((b) => pathMatches(b.PathPattern ?? '', path)) ?? c.DefaultCacheBehavior ?? ({} as BehaviorConfig);
}

/** The origin a behaviour sends to; an origin group's first member (failover is not emulated). */
function originFor(c: DistributionConfig, b: BehaviorConfig): Origin | undefined {
  const origins = c.Origins?.Items ?? [];
  const direct = origins.find((o) => o.Id === b.TargetOriginId);
  if (direct) return direct;
  const group = (c.OriginGroups?.Items ?? []).find((g) => g.Id === b.TargetOriginId);
  const first = group?.Members?.Items?.[0]?.OriginId;
  return origins.find((o) => o.Id === first);
}

/** The headers S3 sends with an object, as CloudFront passes them on (and caches them). */
function objectHeaders(row: ObjectRow): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': row.content_type ?? 'binary/octet-stream',
    'Content-Length': String(row.size),
    ETag: row.etag ?? '',
    'Last-Modified': httpDate(row.last_modified_ms),
    'Accept-Ranges': 'bytes',
    Server: 'AmazonS3',
  };
  if (row.version_id !== 'null') headers['x-amz-version-id'] = row.version_id;
  for (const [k, v] of Object.entries(JSON.parse(row.metadata) as Record<string, string>)) headers[k] = v;
  return headers;
}

function header(h: Record<string, string>, name: string): string | undefined {
  const k = Object.keys(h).find((x) => x.toLowerCase() === name);
  return k === undefined ? undefined : h[k];
}

/** CloudFront's own error page (text/html), for refusals that never reach the origin. */
function cloudfrontPage(status: number, title: string, detail: string, cfId: string): string {
  return (
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">\n' +
    '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">\n' +
    '<TITLE>ERROR: The request could not be satisfied</TITLE>\n' +
    `</HEAD><BODY>\n<H1>${status} ERROR</H1>\n<H2>The request could not be satisfied.</H2>\n<HR noshade size="1px">\n` +
    `${escapeXml(title)}\n${escapeXml(detail)}\n<BR clear="all">\n<HR noshade size="1px">\n<PRE>\n` +
    `Generated by cloudfront (CloudFront) [Berth emulator]\nRequest ID: ${escapeXml(cfId)}\n</PRE>\n<ADDRESS>\n</ADDRESS>\n</BODY></HTML>`
  );
}

/** Answers a request addressed to a distribution; false when the Host is not a distribution's. */
export async function serveEdge(env: EmulatorEnv, req: IncomingMessage, res: ServerResponse, info: RawRequestInfo): Promise<boolean> {
  const domain = edgeDomain(info.host);
  if (!domain) return false;
  // CloudWatch's AWS/CloudFront metrics and Cost Explorer's usage count each answer of a known distribution once it is sent.
  const metrics: { distributionId?: string; downloaded: number } = { downloaded: 0 };
  let uploaded = 0;
  req.on('data', (chunk: Buffer) => (uploaded += chunk.length));
  // Body bytes as they are written (headers go through writeHead, so getHeader cannot tell them).
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const count = (chunk: unknown) => {
    if (typeof chunk === 'string') metrics.downloaded += Buffer.byteLength(chunk);
    else if (chunk instanceof Uint8Array) metrics.downloaded += chunk.length;
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    count(chunk);
    return write(chunk, ...rest);
  }) as typeof res.write;
  const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'function') count(chunk);
    return end(chunk, ...rest);
  }) as typeof res.end;
  res.on('finish', () => {
    const distributionId = metrics.distributionId;
    if (distributionId === undefined) return;
    try {
      recordEdgeRequest(env, distributionId, info.method, res.statusCode, metrics.downloaded, uploaded);
    } catch (err) {
      env.log(`cloudwatch: could not record an edge request: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      recordEdgeUsage(env, req, info.method, metrics.downloaded);
    } catch (err) {
      env.log(`ce: could not record an edge request: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  req.resume();
  const isHead = info.method === 'HEAD';
  const cfId = randomBytes(42).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  const edgeHeaders = (cache: 'Hit' | 'Miss' | 'Error'): Record<string, string> => ({
    'X-Cache': `${cache} from cloudfront`,
    Via: `1.1 ${randomBytes(16).toString('hex')}.cloudfront.net (CloudFront)`,
    'X-Amz-Cf-Pop': POP,
    'X-Amz-Cf-Id': cfId,
  });

  const send = (status: number, headers: Record<string, string>, body?: Buffer) => {
    const h = { ...headers };
    if (body !== undefined) h['Content-Length'] = String(body.length);
    res.writeHead(status, h);
    res.end(isHead ? undefined : body);
  };
  const page = (status: number, title: string, detail: string) =>
    send(
      status,
      { Server: 'CloudFront', 'Content-Type': 'text/html', ...edgeHeaders('Error') },
      Buffer.from(cloudfrontPage(status, title, detail, cfId)),
    );

  const db = env.db;
  const dist = distributionByDomain(db, domain);
  if (!dist) {
    page(403, 'Bad request.', "We can't connect to the server for this app or website at this time: no distribution has this domain name.");
    return true;
  }
  metrics.distributionId = dist.id;
  const config = configOf(dist);
  if (!config.Enabled) {
    page(403, 'Bad request.', "We can't connect to the server for this app or website at this time: the distribution is disabled.");
    return true;
  }
  const acl = config.WebACLId ? webAclByArn(db, config.WebACLId) : undefined;
  if (acl && webAclBlocksByDefault(acl)) {
    page(403, 'Request blocked.', 'The web ACL of this distribution blocks the request (its default action is Block).');
    return true;
  }

  const decoded = safeDecode(info.path);
  if (decoded === undefined) {
    page(400, 'Bad request.', 'The request URL is not correctly encoded.');
    return true;
  }
  // A request for the root gets the default root object; it is cached under that path.
  const path = decoded === '/' && config.DefaultRootObject ? `/${config.DefaultRootObject}` : decoded;
  const behavior = behaviorFor(config, path);
  const allowed: string[] = behavior.AllowedMethods?.Items ?? ['GET', 'HEAD'];
  if (!allowed.includes(info.method)) {
    page(
      403,
      'Bad request.',
      'This distribution is not configured to allow the HTTP request method that was used for this request. The distribution supports only cachable requests.',
    );
    return true;
  }
  if (info.method !== 'GET' && info.method !== 'HEAD') {
    // Writes through CloudFront to S3 are not emulated.
    sendS3Error(send, edgeHeaders('Error'), info.requestId, { kind: 'error', status: 405, code: 'MethodNotAllowed', message: 'The specified method is not allowed against this resource.', fields: { Method: info.method, ResourceType: 'OBJECT' } });
    return true;
  }

  const now = env.now();
  const cached = db.prepare('SELECT * FROM cloudfront_edge_cache WHERE distribution_id = ? AND path = ?').get(dist.id, path) as CacheRow | undefined;
  if (cached && cached.expires_at_ms > now) {
    const headers = { ...(JSON.parse(cached.headers_json) as Record<string, string>), Age: String(Math.floor((now - cached.stored_at_ms) / 1000)) };
    await sendBody(env, req, res, isHead, 200, headers, edgeHeaders('Hit'), cached.blob_sha256, cached.size);
    return true;
  }

  const origin = originFor(config, behavior);
  const bucket = origin ? s3BucketOfDomain(origin.DomainName ?? '') : undefined;
  if (!origin || !bucket) {
    page(502, 'Bad Gateway.', "CloudFront wasn't able to connect to the origin: the emulator serves only S3 bucket (REST endpoint) origins.");
    return true;
  }
  const who = originIdentity(db, origin, distributionArn(env.accountId, dist.id), env.accountId, typeof req.headers.authorization === 'string');
  const key = `${origin.OriginPath ?? ''}${path}`.slice(1);

  if (key === '') {
    // `/` without a default root object asks S3 for the bucket itself: a listing, if the policy allows it.
    serveListing(db, bucket, who, send, edgeHeaders('Miss'), info.requestId);
    return true;
  }

  const result = readFromS3(db, bucket, key, who);
  if (result.kind === 'object') {
    const headers = objectHeaders(result.row);
    const ttl = responseTtl(behaviorTtls(db, behavior), header(headers, 'cache-control'));
    if (!isHead && ttl > 0) {
      db.prepare(
        `INSERT INTO cloudfront_edge_cache (distribution_id, path, headers_json, blob_sha256, size, stored_at_ms, expires_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (distribution_id, path) DO UPDATE SET headers_json = excluded.headers_json, blob_sha256 = excluded.blob_sha256,
           size = excluded.size, stored_at_ms = excluded.stored_at_ms, expires_at_ms = excluded.expires_at_ms`,
      ).run(dist.id, path, JSON.stringify(headers), result.row.blob_sha256, result.row.size, now, now + ttl * 1000);
    }
    await sendBody(env, req, res, isHead, 200, headers, edgeHeaders('Miss'), result.row.blob_sha256, result.row.size);
    return true;
  }

  // A custom error response replaces the origin's error with a page of the distribution.
  const custom = (config.CustomErrorResponses?.Items ?? []).find((e) => e.ErrorCode === result.status && e.ResponsePagePath);
  if (custom?.ResponsePagePath) {
    const pagePath = custom.ResponsePagePath;
    const pageOrigin = originFor(config, behaviorFor(config, pagePath));
    const pageBucket = pageOrigin ? s3BucketOfDomain(pageOrigin.DomainName ?? '') : undefined;
    if (pageOrigin && pageBucket) {
      const pageWho = originIdentity(db, pageOrigin, distributionArn(env.accountId, dist.id), env.accountId, false);
      const got = readFromS3(db, pageBucket, `${pageOrigin.OriginPath ?? ''}${pagePath}`.slice(1), pageWho);
      if (got.kind === 'object') {
        const status = custom.ResponseCode ? Number(custom.ResponseCode) : result.status;
        await sendBody(env, req, res, isHead, status, objectHeaders(got.row), edgeHeaders('Error'), got.row.blob_sha256, got.row.size, false);
        return true;
      }
    }
  }
  sendS3Error(send, edgeHeaders('Error'), info.requestId, result);
  return true;
}

type Send = (status: number, headers: Record<string, string>, body?: Buffer) => void;

/** S3's XML error, as CloudFront passes it through. */
function sendS3Error(send: Send, edge: Record<string, string>, requestId: string, err: Extract<OriginRead, { kind: 'error' }>): void {
  const hostId = newExtendedRequestId();
  const fields = Object.entries(err.fields ?? {})
    .map(([k, v]) => leaf(k, v))
    .join('');
  const xml = `${XML_DECLARATION}\n${node('Error', leaf('Code', err.code) + leaf('Message', err.message) + fields + leaf('RequestId', requestId) + leaf('HostId', hostId))}`;
  send(err.status, { 'Content-Type': 'application/xml', Server: 'AmazonS3', 'x-amz-request-id': requestId, 'x-amz-id-2': hostId, ...edge }, Buffer.from(xml));
}

/** `GET /` without a default root object: S3 answers ListObjects when the identity may list, else AccessDenied. */
function serveListing(
  db: EmulatorEnv['db'],
  bucket: string,
  who: OriginIdentity,
  send: Send,
  edge: Record<string, string>,
  requestId: string,
): void {
  const exists = db.prepare('SELECT 1 FROM s3_buckets WHERE name = ?').get(bucket);
  if (!exists) {
    sendS3Error(send, { ...edge, 'X-Cache': 'Error from cloudfront' }, requestId, { kind: 'error', status: 404, code: 'NoSuchBucket', message: 'The specified bucket does not exist', fields: { BucketName: bucket } });
    return;
  }
  if (!originAllowed(db, bucket, who, 's3:ListBucket', `arn:aws:s3:::${bucket}`)) {
    sendS3Error(send, { ...edge, 'X-Cache': 'Error from cloudfront' }, requestId, { kind: 'error', status: 403, code: 'AccessDenied', message: 'Access Denied' });
    return;
  }
  const rows = db
    .prepare('SELECT key, last_modified_ms, etag, size, storage_class FROM s3_objects WHERE bucket = ? AND is_latest = 1 AND is_delete_marker = 0 ORDER BY key LIMIT 1001')
    .all(bucket) as { key: string; last_modified_ms: number; etag: string | null; size: number; storage_class: string }[];
  const page = rows.slice(0, 1000);
  const contents = page
    .map((r) => node('Contents', leaf('Key', r.key) + leaf('LastModified', isoTime(r.last_modified_ms)) + leaf('ETag', r.etag ?? '') + leaf('Size', r.size) + leaf('StorageClass', r.storage_class)))
    .join('');
  const xml = node(
    'ListBucketResult',
    leaf('Name', bucket) + leaf('Prefix', '') + leaf('Marker', '') + leaf('MaxKeys', 1000) + leaf('IsTruncated', rows.length > 1000) + contents,
    { xmlns: S3_NS },
  );
  send(200, { 'Content-Type': 'application/xml', Server: 'AmazonS3', 'x-amz-request-id': requestId, ...edge }, Buffer.from(`${XML_DECLARATION}\n${xml}`));
}

/** Writes an object body (whole, a range, or 304), with the origin's headers and CloudFront's. */
async function sendBody(
  env: EmulatorEnv,
  req: IncomingMessage,
  res: ServerResponse,
  isHead: boolean,
  status: number,
  origin: Record<string, string>,
  edge: Record<string, string>,
  sha: string | null,
  size: number,
  conditional = true,
): Promise<void> {
  const headers = { ...origin, ...edge };
  const inm = req.headers['if-none-match'];
  const etag = header(origin, 'etag') ?? '';
  if (conditional && status === 200 && typeof inm === 'string' && inm.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(etag)) {
    delete headers['Content-Length'];
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const range = conditional && status === 200 ? (typeof req.headers.range === 'string' ? parseRange(req.headers.range, size) : undefined) : undefined;
  if (range === 'unsatisfiable') {
    const body = Buffer.from(`${XML_DECLARATION}\n${node('Error', leaf('Code', 'InvalidRange') + leaf('Message', 'The requested range is not satisfiable') + leaf('RangeRequested', String(req.headers.range)) + leaf('ActualObjectSize', size))}`);
    res.writeHead(416, { ...edge, 'X-Cache': 'Error from cloudfront', 'Content-Type': 'application/xml', 'Content-Range': `bytes */${size}`, 'Content-Length': String(body.length) });
    res.end(isHead ? undefined : body);
    return;
  }
  if (range) {
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
    headers['Content-Length'] = String(range.end - range.start + 1);
    res.writeHead(206, headers);
  } else {
    headers['Content-Length'] = String(size);
    res.writeHead(status, headers);
  }
  if (isHead || size === 0 || !sha) {
    res.end();
    return;
  }
  await pipeline(env.blobs.createReadStream(sha, range), res).catch(() => res.destroy());
}
