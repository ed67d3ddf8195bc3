import { AwsError } from '../../core/errors';

/** ECR's wording for a parameter that breaks a model constraint. */
export function invalidParameter(field: string, constraint: string): AwsError {
  return new AwsError(
    'InvalidParameterException',
    `Invalid parameter at '${field}' failed to satisfy constraint: '${constraint}'`,
  );
}

/** A JSON value of the wrong type is a deserialisation failure in AWS, not a validation one. */
function wrongType(field: string, expected: string): AwsError {
  return new AwsError('SerializationException', `Value for '${field}' must be ${expected}`);
}

export function optString(input: Record<string, unknown>, field: string): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw wrongType(field, 'a string');
  return v;
}

export function reqString(input: Record<string, unknown>, field: string): string {
  const v = optString(input, field);
  if (v === undefined) throw invalidParameter(field, 'must not be null');
  return v;
}

export function optBoolean(input: Record<string, unknown>, field: string): boolean | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw wrongType(field, 'a boolean');
  return v;
}

export function optInteger(input: Record<string, unknown>, field: string): number | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw wrongType(field, 'an integer');
  return v;
}

export function optObject(input: Record<string, unknown>, field: string): Record<string, unknown> | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw wrongType(field, 'an object');
  return v as Record<string, unknown>;
}

export function optArray(input: Record<string, unknown>, field: string): unknown[] | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw wrongType(field, 'a list');
  return v;
}

/** The model's RepositoryName: 2..256 chars of lower-case path components. */
export const REPOSITORY_NAME_PATTERN = '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*';
const REPOSITORY_NAME_RE = new RegExp(`^${REPOSITORY_NAME_PATTERN}$`);

export function checkRepositoryName(name: string, field = 'repositoryName'): void {
  if (name.length < 2) throw invalidParameter(field, 'must have length greater than or equal to 2');
  if (name.length > 256) throw invalidParameter(field, 'must have length less than or equal to 256');
  if (!REPOSITORY_NAME_RE.test(name)) {
    throw invalidParameter(field, `must satisfy regular expression '${REPOSITORY_NAME_PATTERN}'`);
  }
}

export function checkRegistryId(id: string | undefined): void {
  if (id !== undefined && !/^[0-9]{12}$/.test(id)) {
    throw invalidParameter('registryId', "must satisfy regular expression '[0-9]{12}'");
  }
}

export interface Tag {
  Key: string;
  Value: string;
}

export function parseTags(raw: unknown[] | undefined): Tag[] {
  if (!raw) return [];
  if (raw.length > 50) {
    throw new AwsError('TooManyTagsException', 'The list of tags on the repository is over the limit. The maximum number of tags that can be applied to a repository is 50.');
  }
  const seen = new Set<string>();
  return raw.map((t, i) => {
    if (!t || typeof t !== 'object') throw wrongType(`tags.${i + 1}`, 'an object');
    const rec = t as Record<string, unknown>;
    const key = rec.Key;
    const value = rec.Value ?? '';
    if (typeof key !== 'string' || typeof value !== 'string') throw wrongType(`tags.${i + 1}`, 'a Key/Value pair of strings');
    if (key.length < 1 || key.length > 128) {
      throw new AwsError('InvalidTagParameterException', `Tag key '${key}' must have length between 1 and 128.`);
    }
    if (value.length > 256) {
      throw new AwsError('InvalidTagParameterException', `Tag value for key '${key}' must have length at most 256.`);
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw new AwsError('InvalidTagParameterException', `Tag key '${key}' uses the reserved prefix 'aws:'.`);
    }
    if (seen.has(key)) throw new AwsError('InvalidTagParameterException', `Duplicate tag key '${key}'.`);
    seen.add(key);
    return { Key: key, Value: value };
  });
}

/** Digests ECR accepts for images and layers (the model's LayerDigest pattern, narrowed to what a store can hold). */
export const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
/** The model's loose digest pattern, for telling a malformed digest from an unknown one. */
export const DIGEST_PATTERN = '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+';
/** Docker's tag grammar; ECR allows up to 300 characters. */
export const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$/;

/** An opaque page token: base64url JSON, rejected with ECR's wording if forged or mangled. */
export function encodePageToken(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodePageToken(raw: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw invalidParameter('nextToken', 'must be a token returned by a previous call');
}

/** maxResults of the list calls: 1..max, or the default when absent. */
export function pageSize(input: Record<string, unknown>, fallback: number, max = 1000): number {
  const n = optInteger(input, 'maxResults');
  if (n === undefined) return fallback;
  if (n < 1 || n > max) throw invalidParameter('maxResults', `Member must have value between 1 and ${max}`);
  return n;
}

export interface ImageId {
  imageDigest?: string;
  imageTag?: string;
}

/** Reads the list of image ids (1..100) from `field`. */
export function parseImageIds(input: Record<string, unknown>, field = 'imageIds', required = true): ImageId[] | undefined {
  const raw = optArray(input, field);
  if (raw === undefined) {
    if (required) throw invalidParameter(field, 'must not be null');
    return undefined;
  }
  if (raw.length < 1 || raw.length > 100) throw invalidParameter(field, 'Member must have length between 1 and 100');
  return raw.map((v, i) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw wrongType(`${field}.${i + 1}`, 'an object');
    const rec = v as Record<string, unknown>;
    const id: ImageId = {};
    const d = optString(rec, 'imageDigest');
    const t = optString(rec, 'imageTag');
    if (d !== undefined) id.imageDigest = d;
    if (t !== undefined) {
      if (t.length < 1 || t.length > 300) throw invalidParameter(`${field}.${i + 1}.member.imageTag`, 'Member must have length between 1 and 300');
      id.imageTag = t;
    }
    return id;
  });
}

export function parseTagStatus(input: Record<string, unknown>, field = 'filter'): 'TAGGED' | 'UNTAGGED' | 'ANY' {
  const filter = optObject(input, field);
  const s = filter ? optString(filter, 'tagStatus') : undefined;
  if (s === undefined) return 'ANY';
  if (s !== 'TAGGED' && s !== 'UNTAGGED' && s !== 'ANY') {
    throw invalidParameter(`${field}.tagStatus`, 'Member must satisfy enum value set: [TAGGED, UNTAGGED, ANY]');
  }
  return s;
}
