import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/**
 * Just enough of the tar format to make image layers that real clients can
 * unpack: each layer is a ustar archive with one regular file, gzipped. The
 * gzip uses level 0 (stored blocks) by default, so building megabytes of
 * layer costs nothing, while skopeo and docker still see valid gzip (they
 * would otherwise "fix" a layer labelled gzip by compressing it, changing its
 * digest).
 */

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(512, 0);
  h.write(name.slice(0, 99), 0, 'utf8');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write('root', 265, 'ascii');
  h.write('root', 297, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** A tar archive holding `files` (path → bytes). */
export function tar(files: { name: string; data: Buffer }[], mtime = 1_735_689_600): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(header(f.name, f.data.length, mtime), f.data);
    const pad = (512 - (f.data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}

export interface Layer {
  /** The gzipped tar, as stored and pushed. */
  blob: Buffer;
  /** sha256 of the uncompressed tar: the config's rootfs.diff_ids entry. */
  diffId: string;
}

export function gzipLayer(files: { name: string; data: Buffer }[], level = 0): Layer {
  const t = tar(files);
  return { blob: gzipSync(t, { level }), diffId: `sha256:${createHash('sha256').update(t).digest('hex')}` };
}
