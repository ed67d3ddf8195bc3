import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { newExtendedRequestId } from '../../core/ids';
import type { EmulatorEnv, RawRequestInfo } from '../../core/types';
import { escapeXml } from '../../core/xml';
import { getBucket } from './model/buckets';
import { anonymousAllowed } from './model/access-policy';
import { websiteOf } from './model/website-config';
import { httpDate } from './model/objects';
import { latestRow, type ObjectRow } from './model/store';

/**
 * S3 static website hosting, served by the emulator on its one port.
 *
 *   http://<bucket>.s3-website-<region>.localhost:<port>/<key>   (AWS's dash form)
 *   http://<bucket>.s3-website.<region>.localhost:<port>/<key>   (AWS's dot form)
 *   http://<bucket>.s3-website.localhost:<port>/<key>            (any region)
 *   http://127.0.0.1:<port>/_website/<bucket>/<key>              (for tools without wildcard DNS)
 *
 * Requests are anonymous, as on AWS: an object is served only when the
 * bucket policy lets everyone read it and Block Public Access does not
 * restrict the bucket. Errors are HTML pages, not XML.
 */

/** The website endpoint URL of a bucket, as the console should show it. */
export function websiteUrl(bucket: string, region: string, port: number | string): string {
  return `http://${bucket}.s3-website-${region}.localhost:${port}`;
}

/** The path-style form, for clients that cannot resolve `*.localhost`. */
export function websitePathUrl(bucket: string, baseUrl: string): string {
  return `${baseUrl.replace(/\/$/, '')}/_website/${bucket}/`;
}

const HOST_RE = /^(.+)\.s3-website(?:-([a-z0-9-]+)|\.([a-z0-9-]+))?\.localhost$/;

/** Which bucket and key a website request is for, or undefined when it is not a website request. */
export function websiteTarget(host: string, rawPath: string): { bucket: string; rawKeyPath: string; base: string } | undefined {
  const h = host.replace(/:\d+$/, '').toLowerCase();
  const m = HOST_RE.exec(h);
  if (m?.[1]) return { bucket: m[1], rawKeyPath: rawPath, base: '' };
  if (rawPath.startsWith('/_website/')) {
    const rest = rawPath.slice('/_website/'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    if (bucket === '') return undefined;
    return { bucket: safeDecode(bucket) ?? bucket, rawKeyPath: slash < 0 ? '/' : rest.slice(slash), base: `/_website/${bucket}` };
  }
  return undefined;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

interface Page {
  status: number;
  title: string;
  fields: [string, string][];
}

function htmlError(p: Page, requestId: string, hostId: string, extra = ''): string {
  const items = [...p.fields, ['RequestId', requestId], ['HostId', hostId]]
    .map(([k, v]) => `<li>${escapeXml(k ?? '')}: ${escapeXml(v ?? '')}</li>`)
    .join('\n');
  return `<html>\n<head><title>${p.status} ${p.title}</title></head>\n<body>\n<h1>${p.status} ${p.title}</h1>\n<ul>\n${items}\n</ul>\n${extra}<hr/>\n</body>\n</html>\n`;
}

/** Answers a website request; returns false when the request is not one. */
export async function serveWebsite(
  env: EmulatorEnv,
  req: IncomingMessage,
  res: ServerResponse,
  info: RawRequestInfo,
): Promise<boolean> {
  const target = websiteTarget(info.host, info.path);
  if (!target) return false;
  const hostId = newExtendedRequestId();
  const baseHeaders: Record<string, string> = {
    'x-amz-request-id': info.requestId,
    'x-amz-id-2': hostId,
    Server: 'AmazonS3',
  };
  const isHead = info.method === 'HEAD';
  req.resume();

  const sendHtml = (status: number, html: string, headers: Record<string, string> = {}) => {
    const body = Buffer.from(html);
    res.writeHead(status, { ...baseHeaders, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(body.length), ...headers });
    res.end(isHead ? undefined : body);
  };
  const sendObject = async (status: number, row: ObjectRow) => {
    const headers: Record<string, string> = {
      ...baseHeaders,
      'Content-Type': row.content_type ?? 'binary/octet-stream',
      'Content-Length': String(row.size),
      ETag: row.etag ?? '',
      'Last-Modified': httpDate(row.last_modified_ms),
    };
    const meta = JSON.parse(row.metadata) as Record<string, string>;
    for (const [k, v] of Object.entries(meta)) headers[k] = v;
    const inm = req.headers['if-none-match'];
    if (status === 200 && typeof inm === 'string' && inm.split(',').map((s) => s.trim()).includes(row.etag ?? '')) {
      delete headers['Content-Length'];
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(status, headers);
    if (isHead || row.size === 0 || !row.blob_sha256) {
      res.end();
      return;
    }
    await pipeline(env.blobs.createReadStream(row.blob_sha256), res).catch(() => res.destroy());
  };

  if (info.method !== 'GET' && info.method !== 'HEAD') {
    sendHtml(
      405,
      htmlError({ status: 405, title: 'Method Not Allowed', fields: [['Code', 'MethodNotAllowed'], ['Message', `The specified method is not allowed against this resource.`], ['Method', info.method], ['ResourceType', 'OBJECT']] }, info.requestId, hostId),
      { Allow: 'GET, HEAD' },
    );
    return true;
  }

  const db = env.db;
  const bucket = target.bucket;
  if (!getBucket(db, bucket)) {
    sendHtml(404, htmlError({ status: 404, title: 'Not Found', fields: [['Code', 'NoSuchBucket'], ['Message', 'The specified bucket does not exist'], ['BucketName', bucket]] }, info.requestId, hostId));
    return true;
  }
  const cfg = websiteOf(db, bucket);
  if (!cfg) {
    sendHtml(
      404,
      htmlError({ status: 404, title: 'Not Found', fields: [['Code', 'NoSuchWebsiteConfiguration'], ['Message', 'The specified bucket does not have a website configuration'], ['BucketName', bucket]] }, info.requestId, hostId),
    );
    return true;
  }
  if (cfg.redirectAll) {
    const proto = cfg.redirectAll.protocol ?? 'http';
    const qs = info.query.toString();
    res.writeHead(301, { ...baseHeaders, Location: `${proto}://${cfg.redirectAll.hostName}${target.rawKeyPath}${qs ? `?${qs}` : ''}`, 'Content-Length': '0' });
    res.end();
    return true;
  }

  const suffix = cfg.indexSuffix ?? 'index.html';
  let key = safeDecode(target.rawKeyPath.replace(/^\//, '')) ?? '';
  const asked = key;
  if (key === '' || key.endsWith('/')) key += suffix;
  const readable = (k: string) => anonymousAllowed(db, bucket, 's3:GetObject', `arn:aws:s3:::${bucket}/${k}`);
  const current = (k: string) => {
    const r = latestRow(db, bucket, k);
    return r && !r.is_delete_marker ? r : undefined;
  };

  const serveError = async (status: number, page: Page) => {
    // A configured, readable error document replaces S3's own page, keeping the status.
    if (cfg.errorKey) {
      const doc = current(cfg.errorKey);
      if (doc && readable(cfg.errorKey)) {
        await sendObject(status, doc);
        return;
      }
      const extra = `<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n<li>Code: ${doc ? 'AccessDenied' : 'NoSuchKey'}</li>\n<li>Message: ${doc ? 'Access Denied' : 'The specified key does not exist.'}</li>\n${doc ? '' : `<li>Key: ${escapeXml(cfg.errorKey)}</li>\n`}</ul>\n`;
      sendHtml(status, htmlError(page, info.requestId, hostId, extra));
      return;
    }
    sendHtml(status, htmlError(page, info.requestId, hostId));
  };

  const row = current(key);
  if (row) {
    if (!readable(key)) {
      await serveError(403, { status: 403, title: 'Forbidden', fields: [['Code', 'AccessDenied'], ['Message', 'Access Denied']] });
      return true;
    }
    const redirect = (JSON.parse(row.metadata) as Record<string, string>)['x-amz-website-redirect-location'];
    if (redirect) {
      res.writeHead(301, { ...baseHeaders, Location: redirect, 'Content-Length': '0' });
      res.end();
      return true;
    }
    await sendObject(200, row);
    return true;
  }
  // A "folder" without its slash: redirect to add it when an index object is under it.
  if (asked === key) {
    const folderIndex = `${key}/${suffix}`;
    if (current(folderIndex) && readable(folderIndex)) {
      res.writeHead(302, { ...baseHeaders, Location: `${target.base}/${encodeURI(key)}/`, 'Content-Length': '0' });
      res.end();
      return true;
    }
  }
  if (!readable(key)) {
    await serveError(403, { status: 403, title: 'Forbidden', fields: [['Code', 'AccessDenied'], ['Message', 'Access Denied']] });
    return true;
  }
  await serveError(404, { status: 404, title: 'Not Found', fields: [['Code', 'NoSuchKey'], ['Message', 'The specified key does not exist.'], ['Key', key]] });
  return true;
}
