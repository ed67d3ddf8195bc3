import { createHash } from 'node:crypto';
import type { SeedContext } from '../../core/types';
import { insertBucket } from './model/buckets';
import { ALL_BLOCKED, setPublicAccessBlock } from './model/public-access';
import { insertRow, newVersionId, type ObjectRow } from './model/store';

/**
 * S3 demo data, written once per data folder in one transaction (the blobs
 * first; they are content-addressed, so a re-run after a crash only finds
 * them already there):
 *
 * - berth-demo-assets: versioning Enabled; keys with several versions, and
 *   one key whose newest version is a delete marker.
 * - berth-demo-site: a static website (index, error, about/, css, svg) with a
 *   public-read policy and Block Public Access off.
 * - berth-demo-logs: empty, Block Public Access on.
 * - berth-demo-data: 10,000 small JSON/CSV/SVG objects under nested prefixes,
 *   sharing a handful of bodies.
 */

const DAY = 24 * 60 * 60 * 1000;

const SITE_INDEX = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Berth demo site</title><link rel="stylesheet" href="/assets/site.css"></head>
<body>
<header><img src="/assets/logo.svg" alt="" width="48" height="48"><h1>Berth demo site</h1></header>
<p>This page is served from the <code>berth-demo-site</code> bucket by the emulator's S3 website endpoint.</p>
<p><a href="/about/">About this site</a></p>
</body>
</html>
`;

const SITE_ABOUT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>About - Berth demo site</title><link rel="stylesheet" href="/assets/site.css"></head>
<body>
<h1>About</h1>
<p>An index document in a folder: <code>about/index.html</code>.</p>
<p><a href="/">Home</a></p>
</body>
</html>
`;

const SITE_ERROR = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Not found - Berth demo site</title><link rel="stylesheet" href="/assets/site.css"></head>
<body>
<h1>Page not found</h1>
<p>The page you asked for is not in this bucket. <a href="/">Go home</a>.</p>
</body>
</html>
`;

const SITE_CSS = `body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; color: #1f2933; }
header { display: flex; gap: 1rem; align-items: center; }
a { color: #0b6bcb; }
`;

const SITE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><rect width="48" height="48" rx="10" fill="#0b6bcb"/><path d="M10 30h28l-4 8H14z" fill="#fff"/><path d="M23 10h2v18h-2z" fill="#fff"/><path d="M25 12l9 12h-9z" fill="#fff"/></svg>
`;

function publicReadPolicy(bucket: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'PublicReadGetObject', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
      ],
    },
    null,
    2,
  );
}

/** A small deterministic PRNG (mulberry32), so every data folder gets the same keys. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Body {
  bytes: Buffer;
  md5: string;
  sha256: string;
  contentType: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export async function seedS3({ env, region }: SeedContext): Promise<void> {
  const db = env.db;
  const bodies = new Map<string, Body>();
  const body = async (text: string, contentType: string): Promise<Body> => {
    const hit = bodies.get(text + contentType);
    if (hit) return hit;
    const bytes = Buffer.from(text);
    const stored = await env.blobs.put(bytes);
    const b = { bytes, md5: createHash('md5').update(bytes).digest('hex'), sha256: stored.sha256, contentType };
    bodies.set(text + contentType, b);
    return b;
  };

  // Bodies first (async file writes), then every row in one transaction.
  const assetsVersions: { key: string; versions: (Body | 'delete')[] }[] = [
    {
      key: 'config/app.json',
      versions: [
        await body('{"theme":"light","features":["registry"]}\n', 'application/json'),
        await body('{"theme":"light","features":["registry","buckets"]}\n', 'application/json'),
        await body('{"theme":"dark","features":["registry","buckets","cdn"]}\n', 'application/json'),
      ],
    },
    {
      key: 'images/logo.svg',
      versions: [await body(SITE_SVG.replace('#0b6bcb', '#7b2cbf'), 'image/svg+xml'), await body(SITE_SVG, 'image/svg+xml')],
    },
    {
      key: 'docs/old-readme.md',
      versions: [await body('# Berth assets\n\nDraft.\n', 'text/markdown'), await body('# Berth assets\n\nSecond draft.\n', 'text/markdown'), 'delete'],
    },
    { key: 'css/main.css', versions: [await body(SITE_CSS, 'text/css')] },
    { key: 'downloads/release-notes.txt', versions: [await body('v1.0: first release\n', 'text/plain'), await body('v1.0: first release\nv1.1: fixes\n', 'text/plain')] },
  ];
  const site: { key: string; body: Body }[] = [
    { key: 'index.html', body: await body(SITE_INDEX, 'text/html') },
    { key: 'error.html', body: await body(SITE_ERROR, 'text/html') },
    { key: 'about/index.html', body: await body(SITE_ABOUT, 'text/html') },
    { key: 'assets/site.css', body: await body(SITE_CSS, 'text/css') },
    { key: 'assets/logo.svg', body: await body(SITE_SVG, 'image/svg+xml') },
  ];
  const logBodies: Body[] = [];
  for (let i = 0; i < 8; i++) {
    logBodies.push(await body(`{"level":"info","service":"berth-demo","shard":${i},"message":"request served"}\n`, 'application/json'));
  }
  const imageBodies: Body[] = [];
  for (let i = 0; i < 4; i++) imageBodies.push(await body(SITE_SVG.replace('#0b6bcb', ['#d9480f', '#2b8a3e', '#5f3dc4', '#1864ab'][i] ?? '#000'), 'image/svg+xml'));
  const reportBodies: Body[] = [];
  for (let i = 0; i < 4; i++) reportBodies.push(await body(`region,requests,errors\nus-east-1,${1000 + i * 17},${i}\neu-west-1,${800 + i * 11},${i + 1}\n`, 'text/csv'));

  const now = env.now();
  const seed = db.transaction(() => {
    if (db.prepare("SELECT 1 FROM s3_buckets WHERE name = 'berth-demo-data'").get()) return;
    for (const name of ['berth-demo-assets', 'berth-demo-site', 'berth-demo-logs', 'berth-demo-data']) {
      if (!db.prepare('SELECT 1 FROM s3_buckets WHERE name = ?').get(name)) insertBucket(env, { name, region });
      setPublicAccessBlock(db, name, ALL_BLOCKED);
    }
    db.prepare("UPDATE s3_buckets SET versioning = 'Enabled', tags = ? WHERE name = 'berth-demo-assets'").run(
      JSON.stringify([{ Key: 'team', Value: 'platform' }, { Key: 'env', Value: 'demo' }]),
    );

    const row = (bucket: string, key: string, b: Body | null, o: { versionId?: string; latest?: boolean; seq?: number; at: number; storageClass?: string }): ObjectRow => ({
      bucket,
      key,
      version_id: o.versionId ?? 'null',
      is_latest: o.latest === false ? 0 : 1,
      is_delete_marker: b ? 0 : 1,
      size: b ? b.bytes.length : 0,
      etag: b ? `"${b.md5}"` : null,
      content_type: b ? b.contentType : null,
      blob_sha256: b ? b.sha256 : null,
      last_modified_ms: o.at,
      metadata: '{}',
      seq: o.seq ?? 1,
      storage_class: o.storageClass ?? 'STANDARD',
    });

    // Versioned assets: each version a few days after the previous one.
    for (const [i, item] of assetsVersions.entries()) {
      item.versions.forEach((v, n) => {
        const last = n === item.versions.length - 1;
        insertRow(
          db,
          row('berth-demo-assets', item.key, v === 'delete' ? null : v, {
            versionId: newVersionId(),
            latest: last,
            seq: n + 1,
            at: now - (30 - n * 7 - i) * DAY,
          }),
        );
      });
    }

    // Website.
    for (const [i, f] of site.entries()) insertRow(db, row('berth-demo-site', f.key, f.body, { at: now - (10 - i) * DAY }));
    db.prepare('UPDATE s3_buckets SET website = ?, policy = ? WHERE name = ?').run(
      JSON.stringify({ indexSuffix: 'index.html', errorKey: 'error.html' }),
      publicReadPolicy('berth-demo-site'),
      'berth-demo-site',
    );
    setPublicAccessBlock(db, 'berth-demo-site', { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false });

    // 10,000 data objects: 7,000 logs by hour, 2,000 images, 1,000 reports.
    // As a lifecycle rule would have it, logs over 90 days old are in
    // STANDARD_IA and 2024's reports in GLACIER_IR.
    const rnd = prng(20260101);
    const ins = (key: string, b: Body, at: number, storageClass?: string) => insertRow(db, row('berth-demo-data', key, b, { at, storageClass }));
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 7000; i++) {
      const t = start + Math.floor(i * (300 * DAY / 7000));
      const d = new Date(t);
      const key = `logs/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}-${pad(i % 10000, 4)}.json`;
      const at = Math.min(t, now);
      ins(key, logBodies[Math.floor(rnd() * logBodies.length)] ?? logBodies[0]!, at, now - at > 90 * DAY ? 'STANDARD_IA' : undefined);
    }
    const albums = ['products', 'team', 'events', 'banners'];
    for (let i = 0; i < 2000; i++) {
      const album = albums[i % albums.length] ?? 'misc';
      ins(`images/${album}/${pad(Math.floor(i / 100), 2)}/img-${pad(i, 5)}.svg`, imageBodies[i % imageBodies.length]!, now - Math.floor(rnd() * 200) * DAY);
    }
    for (let i = 0; i < 1000; i++) {
      const year = 2024 + Math.floor(i / 400);
      ins(`reports/${year}/q${(i % 4) + 1}/report-${pad(i, 4)}.csv`, reportBodies[i % reportBodies.length]!, now - Math.floor(rnd() * 400) * DAY, year === 2024 ? 'GLACIER_IR' : undefined);
    }
  });
  seed.immediate();
}
