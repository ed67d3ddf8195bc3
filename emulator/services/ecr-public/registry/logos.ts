import type { EmulatorEnv } from '../../../core/types';
import type { RegistryReply } from './http';

/**
 * Repository logos. AWS answers catalog data with a `logoUrl` on its own
 * content delivery network; the emulator serves the stored logo itself, at
 * `http://<emulator>/_ecr-public/logos/<sha256>`, where any browser may load it.
 */

export const LOGO_PREFIX = '/_ecr-public/logos/';

export function logoUrl(requestHost: string | undefined, sha256: string): string {
  return `http://${requestHost || '127.0.0.1'}${LOGO_PREFIX}${sha256}`;
}

/** PNG and JPEG by their magic bytes; the API takes any bytes, the Gallery shows images. */
function sniff(head: Buffer): string {
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8) return 'image/jpeg';
  return 'application/octet-stream';
}

export async function serveLogo(env: EmulatorEnv, method: string, path: string): Promise<RegistryReply> {
  const sha = path.slice(LOGO_PREFIX.length);
  const referenced =
    /^[a-f0-9]{64}$/.test(sha) &&
    env.db.prepare(`SELECT 1 FROM ecr_public_repositories WHERE json_extract(catalog_data, '$.logoSha256') = ? LIMIT 1`).get(sha) !== undefined;
  const size = referenced ? env.blobs.size(sha) : undefined;
  if (size === undefined) return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not Found' };
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers: { Allow: 'GET, HEAD' }, body: '' };
  const data = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    env.blobs
      .createReadStream(sha)
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });
  const headers = { 'Content-Type': sniff(data), 'Cache-Control': 'max-age=86400', 'Content-Length': String(size) };
  return { status: 200, headers, body: method === 'HEAD' ? undefined : data };
}
