import { AwsError } from '../../core/errors';
import { asArray } from '../../core/xml';

/** S3's rules for a bucket tag set, the same whether it comes with PutBucketTagging or CreateBucket. */
export function checkTagSet(raw: unknown, malformed: () => AwsError): { Key: string; Value: string }[] {
  const tags: { Key: string; Value: string }[] = [];
  for (const t of asArray(raw)) {
    const tag = t && typeof t === 'object' ? (t as Record<string, unknown>) : undefined;
    const key = tag ? text(tag.Key) : undefined;
    const value = tag ? (text(tag.Value) ?? '') : undefined;
    if (key === undefined || value === undefined) throw malformed();
    if (key.length < 1 || key.length > 128 || value.length > 256 || key.startsWith('aws:')) {
      throw new AwsError('InvalidTag', 'The TagKey you have provided is invalid', 400, { fields: { TagKey: key } });
    }
    if (tags.some((x) => x.Key === key)) {
      throw new AwsError('InvalidTag', 'Cannot provide multiple Tags with the same key', 400, { fields: { TagKey: key } });
    }
    tags.push({ Key: key, Value: value });
  }
  if (tags.length > 50) throw new AwsError('InvalidTag', 'Bucket tag count cannot be greater than 50', 400);
  return tags;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
