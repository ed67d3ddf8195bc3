import { createHash } from 'node:crypto';
import { AwsError } from '../../core/errors';
import type { EmulatorEnv } from '../../core/types';
import { requireRepository, resolveImageId, type ImageRow } from './store';
import { decodePageToken, encodePageToken, invalidParameter, pageSize, type ImageId } from './validation';

/**
 * Simulated image scanning. The emulator has no vulnerability database: a
 * scan's findings are picked from the fixed, made-up catalogue below by a PRNG
 * seeded with the image digest, so the same image always shows the same
 * findings, across restarts and data folders. Every finding says it is
 * simulated; the CVE-2099 ids do not exist.
 */

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL' | 'UNDEFINED';

interface CatalogueEntry {
  id: string;
  pkg: string;
  version: string;
  severity: Severity;
  summary: string;
}

const SIMULATED = ' [Simulated finding from the Berth emulator; not a real vulnerability.]';

// Invented for the emulator: package names are real-looking, the problems and ids are not.
const CATALOGUE: readonly CatalogueEntry[] = [
  { id: 'CVE-2099-0101', pkg: 'openssl', version: '3.0.11-1', severity: 'CRITICAL', summary: 'A crafted certificate chain can make certificate verification read past a buffer.' },
  { id: 'CVE-2099-0102', pkg: 'glibc', version: '2.36-9', severity: 'HIGH', summary: 'An overlong locale name passed to a formatting routine can overflow a stack buffer.' },
  { id: 'CVE-2099-0103', pkg: 'zlib', version: '1.2.13', severity: 'HIGH', summary: 'Inflating a stream with a malformed extra field may write out of bounds.' },
  { id: 'CVE-2099-0104', pkg: 'curl', version: '7.88.1-10', severity: 'MEDIUM', summary: 'Cookies set for one host may be sent to a sibling host after a redirect.' },
  { id: 'CVE-2099-0105', pkg: 'libxml2', version: '2.9.14', severity: 'MEDIUM', summary: 'Deeply nested entity references exhaust memory while parsing.' },
  { id: 'CVE-2099-0106', pkg: 'busybox', version: '1.36.1', severity: 'LOW', summary: 'The bundled shell mishandles an escaped newline inside arithmetic expansion.' },
  { id: 'CVE-2099-0107', pkg: 'ncurses', version: '6.4', severity: 'LOW', summary: 'A malformed terminfo entry can cause an out-of-bounds read.' },
  { id: 'CVE-2099-0108', pkg: 'tzdata', version: '2024a', severity: 'INFORMATIONAL', summary: 'Outdated time zone rules for a region that changed its offset.' },
  { id: 'CVE-2099-0109', pkg: 'expat', version: '2.5.0', severity: 'HIGH', summary: 'Large attribute counts lead to an integer overflow in an allocation size.' },
  { id: 'CVE-2099-0110', pkg: 'sqlite3', version: '3.40.1', severity: 'MEDIUM', summary: 'A crafted query triggers a use-after-free in a window function.' },
  { id: 'CVE-2099-0111', pkg: 'libssh2', version: '1.10.0', severity: 'MEDIUM', summary: 'A server can cause the client to read uninitialised memory during key exchange.' },
  { id: 'CVE-2099-0112', pkg: 'git', version: '2.39.2', severity: 'HIGH', summary: 'A repository with a crafted submodule path can write files outside the work tree.' },
  { id: 'CVE-2099-0113', pkg: 'perl', version: '5.36.0', severity: 'LOW', summary: 'A regular expression with many alternations consumes excessive stack.' },
  { id: 'CVE-2099-0114', pkg: 'python3.11', version: '3.11.2', severity: 'MEDIUM', summary: 'URL parsing accepts leading whitespace and may bypass a block list.' },
  { id: 'CVE-2099-0115', pkg: 'nodejs', version: '18.19.0', severity: 'HIGH', summary: 'HTTP request smuggling via an obsolete line folding in headers.' },
  { id: 'CVE-2099-0116', pkg: 'libpng', version: '1.6.39', severity: 'LOW', summary: 'A truncated chunk can make the decoder loop for a long time.' },
  { id: 'CVE-2099-0117', pkg: 'krb5', version: '1.20.1', severity: 'CRITICAL', summary: 'A double free in the PAC parser reachable by an authenticated peer.' },
  { id: 'CVE-2099-0118', pkg: 'gnutls', version: '3.7.9', severity: 'MEDIUM', summary: 'Timing differences in RSA decryption leak information about the padding.' },
  { id: 'CVE-2099-0119', pkg: 'libtiff', version: '4.5.0', severity: 'MEDIUM', summary: 'A crafted image causes a heap overflow in a tile conversion helper.' },
  { id: 'CVE-2099-0120', pkg: 'coreutils', version: '9.1', severity: 'LOW', summary: 'A long file name makes a sorting helper read one byte past the end.' },
  { id: 'CVE-2099-0121', pkg: 'bash', version: '5.2.15', severity: 'LOW', summary: 'Tab completion on a crafted directory name executes an unintended command.' },
  { id: 'CVE-2099-0122', pkg: 'e2fsprogs', version: '1.47.0', severity: 'INFORMATIONAL', summary: 'A checker message prints an uninitialised field on a corrupt file system.' },
  { id: 'CVE-2099-0123', pkg: 'libgcrypt', version: '1.10.1', severity: 'MEDIUM', summary: 'A side channel in an elliptic curve routine leaks key bits to a local observer.' },
  { id: 'CVE-2099-0124', pkg: 'systemd', version: '252.19', severity: 'MEDIUM', summary: 'A journal file with a crafted header makes readers allocate huge buffers.' },
  { id: 'CVE-2099-0125', pkg: 'pcre2', version: '10.42', severity: 'HIGH', summary: 'Just-in-time compiled patterns can read out of bounds with a crafted subject.' },
  { id: 'CVE-2099-0126', pkg: 'libwebp', version: '1.2.4', severity: 'CRITICAL', summary: 'A lossless bitstream with crafted Huffman tables overflows a heap buffer.' },
  { id: 'CVE-2099-0127', pkg: 'apt', version: '2.6.1', severity: 'LOW', summary: 'A malicious mirror can make the client print misleading progress output.' },
  { id: 'CVE-2099-0128', pkg: 'tar', version: '1.34', severity: 'MEDIUM', summary: 'An archive with a crafted extended header leaks stack memory in messages.' },
  { id: 'CVE-2099-0129', pkg: 'util-linux', version: '2.38.1', severity: 'LOW', summary: 'A setuid helper leaks whether a file exists through its error message.' },
  { id: 'CVE-2099-0130', pkg: 'shadow', version: '4.13', severity: 'INFORMATIONAL', summary: 'Password change leaves a temporary file readable for a short window.' },
  { id: 'CVE-2099-0131', pkg: 'openssh-client', version: '9.2p1', severity: 'HIGH', summary: 'A forwarded agent can be abused to load a library from an unexpected path.' },
  { id: 'CVE-2099-0132', pkg: 'libcap2', version: '2.66', severity: 'LOW', summary: 'An integer overflow in a text conversion helper on 32-bit systems.' },
  { id: 'CVE-2099-0133', pkg: 'musl', version: '1.2.4', severity: 'MEDIUM', summary: 'A DNS response with a crafted length field causes an out-of-bounds read.' },
  { id: 'CVE-2099-0134', pkg: 'jq', version: '1.6', severity: 'MEDIUM', summary: 'A very large number literal leads to a stack overflow while printing.' },
  { id: 'CVE-2099-0135', pkg: 'ca-certificates', version: '20230311', severity: 'INFORMATIONAL', summary: 'A root certificate that its owner has since distrusted is still bundled.' },
  { id: 'CVE-2099-0136', pkg: 'libx11', version: '1.8.4', severity: 'MEDIUM', summary: 'A crafted server reply causes an overflow when reading a property.' },
  { id: 'CVE-2099-0137', pkg: 'nghttp2', version: '1.52.0', severity: 'HIGH', summary: 'Rapid stream resets exhaust server resources (a simulated denial of service).' },
  { id: 'CVE-2099-0138', pkg: 'gzip', version: '1.12', severity: 'LOW', summary: 'A crafted file name in the header is echoed unescaped to the terminal.' },
  { id: 'CVE-2099-0139', pkg: 'libzstd', version: '1.5.4', severity: 'UNDEFINED', summary: 'Severity not yet assigned: a decoder edge case under review.' },
  { id: 'CVE-2099-0140', pkg: 'binutils', version: '2.40', severity: 'LOW', summary: 'A malformed object file crashes a disassembler helper.' },
];

export interface Finding {
  name: string;
  description: string;
  uri: string;
  severity: Severity;
  attributes: { key: string; value: string }[];
}

/** A small deterministic PRNG (xorshift32) seeded from the digest's bytes. */
function prng(seed: string): () => number {
  const h = createHash('sha256').update(`berth-scan:${seed}`).digest();
  let x = h.readUInt32LE(0) || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const findingsCache = new Map<string, Finding[]>();

const SEVERITY_ORDER: Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];

/** The simulated findings of an image: 0 to 14 catalogue entries, the same for the same digest. */
export function findingsFor(digest: string): Finding[] {
  const cached = findingsCache.get(digest);
  if (cached) return cached;
  const rand = prng(digest);
  // About one image in six is clean; the rest have a handful of findings.
  const count = rand() < 0.17 ? 0 : 1 + Math.floor(rand() * 14);
  const pool = [...CATALOGUE];
  const picked: CatalogueEntry[] = [];
  for (let i = 0; i < count && pool.length > 0; i++) {
    const j = Math.floor(rand() * pool.length);
    const [e] = pool.splice(j, 1);
    if (e) picked.push(e);
  }
  picked.sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.id.localeCompare(b.id));
  const out = picked.map((e) => ({
    name: e.id,
    description: `${e.summary}${SIMULATED}`,
    uri: `https://berth.invalid/simulated-findings/${e.id}`,
    severity: e.severity,
    attributes: [
      { key: 'package_name', value: e.pkg },
      { key: 'package_version', value: e.version },
      { key: 'CVSS2_SCORE', value: cvss(e.severity) },
    ],
  }));
  if (findingsCache.size > 20_000) findingsCache.clear();
  findingsCache.set(digest, out);
  return out;
}

function cvss(s: Severity): string {
  return { CRITICAL: '10', HIGH: '7.5', MEDIUM: '5', LOW: '2.1', INFORMATIONAL: '0', UNDEFINED: '0' }[s];
}

export function severityCounts(findings: Finding[]): Partial<Record<Severity, number>> {
  const counts: Partial<Record<Severity, number>> = {};
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
}

type ScanFields = Pick<ImageRow, 'digest' | 'scan_started_ms' | 'scan_status'>;

export interface ScanState {
  status: 'IN_PROGRESS' | 'COMPLETE' | 'UNSUPPORTED_IMAGE';
  description: string;
  completedAtMs?: number;
}

/** Where a scan stands now: IN_PROGRESS for the configured delay after it starts, then COMPLETE. */
export function scanState(env: EmulatorEnv, img: ScanFields): ScanState | undefined {
  if (img.scan_started_ms === null || img.scan_status === null) return undefined;
  if (img.scan_status === 'UNSUPPORTED_IMAGE') {
    return { status: 'UNSUPPORTED_IMAGE', description: 'The operating system and/or package manager are not supported.' };
  }
  const done = img.scan_started_ms + env.scanDelayMs;
  if (env.now() < done) return { status: 'IN_PROGRESS', description: 'The scan is in progress (simulated by the Berth emulator).' };
  return { status: 'COMPLETE', description: 'The scan was completed successfully (findings are simulated by the Berth emulator).', completedAtMs: done };
}

/** The vulnerability database "update" a scan used: midnight UTC of the scan's day. */
export function sourceUpdatedMs(completedAtMs: number): number {
  return Math.floor(completedAtMs / 86_400_000) * 86_400_000;
}

function imageNotFound(env: EmulatorEnv, repo: string, id: ImageId): AwsError {
  return new AwsError(
    'ImageNotFoundException',
    `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repo}' in the registry with id '${env.accountId}'`,
  );
}

/** The image one imageId names, or ImageNotFoundException / InvalidParameterException. */
export function locateImage(env: EmulatorEnv, region: string, repo: string, id: ImageId | undefined): ImageRow {
  if (!id) throw invalidParameter('imageId', 'must not be null');
  requireRepository(env, region, repo);
  const r = resolveImageId(env.db, region, repo, id);
  if (!r.image) {
    if (r.failureCode === 'ImageNotFound' || r.failureCode === 'ImageTagDoesNotMatchDigest') throw imageNotFound(env, repo, id);
    throw new AwsError('InvalidParameterException', r.failureReason ?? 'Invalid image id');
  }
  return r.image;
}

const DAY_MS = 86_400_000;

/**
 * StartImageScan: a basic scan of one image, at most once per image per 24
 * hours; manifest lists and indexes cannot be scanned.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_StartImageScan.html
 */
export function startImageScan(env: EmulatorEnv, region: string, repo: string, id: ImageId | undefined): { image: ImageRow; state: ScanState } {
  const image = locateImage(env, region, repo, id);
  if (image.media_type.includes('list') || image.media_type.includes('index')) {
    throw new AwsError('UnsupportedImageTypeException', 'The image is a manifest list or index, which basic scanning does not support.');
  }
  const st = scanState(env, image);
  if (st?.status === 'IN_PROGRESS') {
    throw new AwsError('LimitExceededException', 'A scan of this image is already in progress.');
  }
  if (image.scan_started_ms !== null && env.now() - image.scan_started_ms < DAY_MS && image.scan_status === 'MANUAL') {
    throw new AwsError('LimitExceededException', 'The scan quota per image has been exceeded. Wait and try again.');
  }
  env.db
    .prepare(`UPDATE ecr_images SET scan_started_ms = ?, scan_status = 'MANUAL' WHERE region = ? AND repository_name = ? AND digest = ?`)
    .run(env.now(), region, repo, image.digest);
  const state = scanState(env, { digest: image.digest, scan_started_ms: env.now(), scan_status: 'MANUAL' }) ?? {
    status: 'IN_PROGRESS',
    description: 'The scan is in progress (simulated by the Berth emulator).',
  };
  return { image, state };
}

export interface FindingsPage {
  image: ImageRow;
  state: ScanState;
  /** Present once the scan is COMPLETE. */
  complete?: {
    completedAtMs: number;
    sourceUpdatedAtMs: number;
    counts: Partial<Record<Severity, number>>;
    findings: Finding[];
    nextToken?: string;
  };
}

/** DescribeImageScanFindings: the scan's state, and once complete a page of its findings. */
export function scanFindings(
  env: EmulatorEnv,
  region: string,
  repo: string,
  a: { imageId?: ImageId; maxResults?: number; nextToken?: string },
): FindingsPage {
  const image = locateImage(env, region, repo, a.imageId);
  const limit = pageSize(a.maxResults, 100);
  const st = scanState(env, image);
  if (!st) {
    throw new AwsError(
      'ScanNotFoundException',
      `Image scan does not exist for the image with '{imageDigest:'${image.digest}', imageTag:'${a.imageId?.imageTag ?? 'null'}'}' in the repository with name '${repo}' in the registry with id '${env.accountId}'`,
    );
  }
  if (st.status !== 'COMPLETE' || st.completedAtMs === undefined) return { image, state: st };
  const all = findingsFor(image.digest);
  const start = a.nextToken === undefined ? 0 : Number(decodePageToken(a.nextToken).at ?? Number.NaN);
  if (!Number.isInteger(start) || start < 0) throw invalidParameter('nextToken', 'must be a token returned by a previous call');
  return {
    image,
    state: st,
    complete: {
      completedAtMs: st.completedAtMs,
      sourceUpdatedAtMs: sourceUpdatedMs(st.completedAtMs),
      counts: severityCounts(all),
      findings: all.slice(start, start + limit),
      ...(start + limit < all.length ? { nextToken: encodePageToken({ at: start + limit }) } : {}),
    },
  };
}
