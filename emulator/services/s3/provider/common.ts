/** The ARN access-denied messages name: the bucket, or the object when the input has a Key. */
export function s3Resource(input: { Bucket?: string; Key?: string }): string {
  return input.Key !== undefined ? `arn:aws:s3:::${input.Bucket ?? ''}/${input.Key}` : `arn:aws:s3:::${input.Bucket ?? ''}`;
}
