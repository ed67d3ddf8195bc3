import { AwsError } from '../../core/errors';
import constraints from '../../../models/aws-constraints.json';

// ECR's lengths, patterns, ranges and enums as its current API model states
// them: models/aws-constraints.json, generated from AWS's Smithy model by
// scripts/generate-aws-constraints.mjs. The console reads the same file with
// its own code; nothing here is shared with it. A shape that is missing stops
// the emulator at start rather than letting it validate nothing.

interface ModelShape {
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  patternFlags?: string;
  values?: string[];
}
const ECR = (constraints as unknown as {
  services: { ecr: { shapes: Record<string, ModelShape>; members: Record<string, Record<string, string | string[]>> } };
}).services.ecr;

/** The model's shape of that name; throws when the model has none. */
export function modelShape(name: string): ModelShape {
  const shape = ECR.shapes[name];
  if (!shape) throw new Error(`models/aws-constraints.json has no ECR shape ${name}`);
  return shape;
}

/** The shape a member of a structure targets (`CreateRepositoryRequest`, `repositoryName` → `RepositoryName`). */
export function memberShapeName(structure: string, member: string): string {
  const target = ECR.members[structure]?.[member];
  if (typeof target !== 'string') throw new Error(`models/aws-constraints.json has no ECR member ${structure}.${member}`);
  return target;
}

/** An enum's values, in the model's order. */
export function modelEnum(name: string): readonly string[] {
  const shape = modelShape(name);
  if (shape.type !== 'enum' || !shape.values) throw new Error(`ECR shape ${name} is not an enum`);
  return shape.values;
}

const compiled = new Map<string, RegExp>();
function patternOf(shape: ModelShape): RegExp | undefined {
  if (shape.pattern === undefined) return undefined;
  const key = `${shape.patternFlags ?? 'u'}/${shape.pattern}`;
  let re = compiled.get(key);
  if (!re) compiled.set(key, (re = new RegExp(shape.pattern, shape.patternFlags ?? 'u')));
  return re;
}

/** Smithy counts a string's length in code points: https://smithy.io/2.0/spec/constraint-traits.html#length-trait */
function lengthOf(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++, n++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

/** Checks a string against a model shape's length and pattern, refusing as ECR does. */
export function checkModelString(value: string, field: string, shapeName: string): void {
  const shape = modelShape(shapeName);
  const n = lengthOf(value);
  if (shape.min !== undefined && n < shape.min) throw invalidParameter(field, `must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && n > shape.max) throw invalidParameter(field, `must have length less than or equal to ${shape.max}`);
  const re = patternOf(shape);
  if (re && !re.test(value)) throw invalidParameter(field, `must satisfy regular expression '${shape.pattern}'`);
}

/** Checks an enum member, refusing with ECR's wording. */
export function checkModelEnum(value: string, field: string, shapeName: string): void {
  const values = modelEnum(shapeName);
  if (!values.includes(value)) throw invalidParameter(field, `Member must satisfy enum value set: [${values.join(', ')}]`);
}

/** ECR's wording for a parameter that breaks a model constraint. */
export function invalidParameter(field: string, constraint: string): AwsError {
  return new AwsError(
    'InvalidParameterException',
    `Invalid parameter at '${field}' failed to satisfy constraint: '${constraint}'`,
  );
}

const REPOSITORY_NAME = memberShapeName('CreateRepositoryRequest', 'repositoryName');
/**
 * The model's RepositoryName pattern, verbatim: it carries its own ^…$, so it
 * may be wrapped in ^…$ again (as the registry does) without changing it.
 */
export const REPOSITORY_NAME_PATTERN = modelShape(REPOSITORY_NAME).pattern ?? '';

export function checkRepositoryName(name: string, field = 'repositoryName'): void {
  checkModelString(name, field, REPOSITORY_NAME);
}

const REGISTRY_ID = memberShapeName('CreateRepositoryRequest', 'registryId');
export function checkRegistryId(id: string | undefined): void {
  if (id !== undefined) checkModelString(id, 'registryId', REGISTRY_ID);
}

export interface Tag {
  Key: string;
  Value: string;
}

// ECR's model leaves TagList, TagKey and TagValue unconstrained; the limits
// below (50 tags, keys of 1–128 and values of up to 256 characters, no aws:
// prefix) are the ones its documentation states:
// https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-using-tags.html
export function parseTags(raw: { Key?: string; Value?: string }[] | undefined): Tag[] {
  if (!raw) return [];
  if (raw.length > 50) {
    throw new AwsError('TooManyTagsException', 'The list of tags on the repository is over the limit. The maximum number of tags that can be applied to a repository is 50.');
  }
  const seen = new Set<string>();
  return raw.map((t) => {
    const key = t.Key ?? '';
    const value = t.Value ?? '';
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
export const DIGEST_PATTERN = modelShape('LayerDigest').pattern ?? '';
const IMAGE_TAG = modelShape(memberShapeName('ImageIdentifier', 'imageTag'));
/**
 * A tag: the OCI distribution spec's grammar (ECR's model gives no pattern),
 * and up to the model's ImageTag length, which is longer than OCI's 128.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
 */
export const TAG_RE = new RegExp(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,${(IMAGE_TAG.max ?? 128) - 1}}$`);

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

const MAX_RESULTS = modelShape(memberShapeName('DescribeImagesRequest', 'maxResults'));
/** The most a lifecycle policy preview returns a page (the model's LifecyclePreviewMaxResults). */
export const PREVIEW_MAX_RESULTS = modelShape(memberShapeName('GetLifecyclePolicyPreviewRequest', 'maxResults')).max ?? 100;

/** maxResults of the list calls: within the model's range (1..1000 unless `max` says less), or the default when absent. */
export function pageSize(n: number | undefined, fallback: number, max = MAX_RESULTS.max ?? 1000): number {
  if (n === undefined) return fallback;
  const min = MAX_RESULTS.min ?? 1;
  if (!Number.isInteger(n) || n < min || n > max) throw invalidParameter('maxResults', `Member must have value between ${min} and ${max}`);
  return n;
}

export interface ImageId {
  imageDigest?: string;
  imageTag?: string;
}

const IMAGE_IDS = modelShape(memberShapeName('BatchGetImageRequest', 'imageIds'));

/** Image ids as the API takes them (the model's ImageIdentifierList and ImageTag lengths). */
export function parseImageIds(raw: ImageId[] | undefined, field = 'imageIds', required = true): ImageId[] | undefined {
  if (raw === undefined) {
    if (required) throw invalidParameter(field, 'must not be null');
    return undefined;
  }
  const [lo, hi] = [IMAGE_IDS.min ?? 0, IMAGE_IDS.max ?? Infinity];
  if (raw.length < lo || raw.length > hi) throw invalidParameter(field, `Member must have length between ${lo} and ${hi}`);
  return raw.map((v, i) => {
    const id: ImageId = {};
    if (v.imageDigest !== undefined) id.imageDigest = v.imageDigest;
    if (v.imageTag !== undefined) {
      const n = lengthOf(v.imageTag);
      if ((IMAGE_TAG.min !== undefined && n < IMAGE_TAG.min) || (IMAGE_TAG.max !== undefined && n > IMAGE_TAG.max)) {
        throw invalidParameter(`${field}.${i + 1}.member.imageTag`, `Member must have length between ${IMAGE_TAG.min ?? 0} and ${IMAGE_TAG.max}`);
      }
      id.imageTag = v.imageTag;
    }
    return id;
  });
}

const TAG_STATUS = memberShapeName('ListImagesFilter', 'tagStatus');

export function parseTagStatus(s: string | undefined, field = 'filter'): 'TAGGED' | 'UNTAGGED' | 'ANY' {
  if (s === undefined) return 'ANY';
  checkModelEnum(s, `${field}.tagStatus`, TAG_STATUS);
  // The three the emulator evaluates; a value the model adds is refused until it does.
  if (s !== 'TAGGED' && s !== 'UNTAGGED' && s !== 'ANY') throw invalidParameter(`${field}.tagStatus`, `'${s}' is not supported here`);
  return s;
}
