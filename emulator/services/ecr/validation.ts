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
