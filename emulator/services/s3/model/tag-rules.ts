import { AwsError } from '../../../core/errors';


export interface Tag {
  Key: string;
  Value: string;
}

/** S3's object tag limits: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html */
export const MAX_OBJECT_TAGS = 10;
const MAX_KEY_CHARS = 128;
const MAX_VALUE_CHARS = 256;
/** Letters, digits and spaces in any script, and `+ - = . _ : / @` (the same set IAM tags allow). */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function invalidTag(message: string, key: string): AwsError {
  return new AwsError('InvalidTag', message, 400, { fields: { TagKey: key } });
}

/**
 * Checks an object's tag set as S3 does for PutObjectTagging and the
 * `x-amz-tagging` header. Lengths count Unicode characters, not bytes.
 */
export function checkObjectTags(tags: Tag[]): Tag[] {
  if (tags.length > MAX_OBJECT_TAGS) {
    throw new AwsError('BadRequest', `Object tags cannot be greater than ${MAX_OBJECT_TAGS}`, 400);
  }
  const seen = new Set<string>();
  for (const { Key: key, Value: value } of tags) {
    const keyChars = [...key].length;
    if (keyChars > MAX_KEY_CHARS) throw invalidTag(`The TagKey you have provided is too long, max ${MAX_KEY_CHARS}`, key);
    if ([...value].length > MAX_VALUE_CHARS) throw invalidTag(`The TagValue you have provided is too long, max ${MAX_VALUE_CHARS}`, key);
    if (keyChars === 0 || !TAG_TEXT.test(key)) throw invalidTag('The TagKey you have provided is invalid', key);
    if (!TAG_TEXT.test(value)) throw invalidTag('The TagValue you have provided is invalid', key);
    if (key.toLowerCase().startsWith('aws:')) throw invalidTag('Your TagKey cannot be prefixed with aws:', key);
    if (seen.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key', key);
    seen.add(key);
  }
  return tags;
}

/** The `x-amz-tagging` header: a URL query string, `k1=v1&k2=v2`. */
export function tagsFromHeader(header: string): Tag[] {
  const tags: Tag[] = [];
  for (const [k, v] of new URLSearchParams(header)) tags.push({ Key: k, Value: v });
  return checkObjectTags(tags);
}
