import 'server-only';
import type { ErrorTable } from '@/lib/aws/errors';

// S3's refusals, said so a person knows what to do next. Keyed by S3's own
// codes: the same code means something else in another service (CloudFront's
// PreconditionFailed is about a distribution's ETag, S3's about an object).
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
export const S3_ERRORS: ErrorTable = {
  BucketAlreadyExists: () => ({
    title: 'Name taken',
    message: 'Bucket names are global across all AWS accounts, and another account already uses this one. Pick another name.',
  }),
  BucketAlreadyOwnedByYou: () => ({ title: 'Already yours', message: 'You already own a bucket with this name. Open it from the bucket list.' }),
  BucketNotEmpty: () => ({
    title: 'Bucket not empty',
    message: 'The bucket still holds objects, versions or delete markers. Use “Empty and delete”, which removes them all first.',
  }),
  NoSuchBucket: () => ({ title: 'Bucket not found', message: 'The bucket does not exist. It may have been deleted, or its name is misspelt.' }),
  // HEAD requests (HeadBucket, HeadObject) carry no body, so the SDK names a
  // 404 "NotFound" without saying which of the two was missing.
  NotFound: () => ({
    title: 'Not found',
    message: 'The bucket or object does not exist (S3 answered 404 Not Found). It may have been deleted, or its name is misspelt.',
  }),
  NoSuchKey: () => ({ title: 'Object not found', message: 'The object does not exist (or its latest version is a delete marker).' }),
  NoSuchVersion: () => ({ title: 'Version not found', message: 'That version of the object no longer exists.' }),
  NoSuchUpload: () => ({ title: 'Upload gone', message: 'The multipart upload no longer exists: it was completed or aborted. Start the upload again.' }),
  // Conditional writes: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html
  PreconditionFailed: () => ({
    title: 'Object changed',
    message:
      'S3 did not write the object because a condition on the request no longer held: the object already exists or changed since it was read. Reload to see the current object, then try again.',
  }),
  ConditionalRequestConflict: () => ({
    title: 'Object busy',
    message: 'Another write to the same object was in progress, so S3 did not apply this one. Try again in a moment.',
    retryable: true,
  }),
  MalformedPolicy: (aws) => ({ title: 'Policy refused', message: `S3 refused the bucket policy: ${aws}` }),
  InvalidBucketName: () => ({ title: 'Invalid name', message: 'S3 does not accept this bucket name. Check the naming rules shown under the field.' }),
  IllegalLocationConstraintException: (aws) => ({ title: 'Wrong region', message: `The bucket’s region and the request do not match: ${aws}` }),
  AuthorizationHeaderMalformed: () => ({
    title: 'Wrong region',
    message: 'The request was signed for a different region than the bucket’s. Reload the page so Berth looks the bucket’s region up again.',
  }),
  PermanentRedirect: () => ({
    title: 'Wrong region',
    message: 'The bucket lives in another region than the one Berth asked. Reload the page so Berth looks the bucket’s region up again.',
  }),
  EntityTooLarge: () => ({ title: 'File too large', message: 'The file is larger than S3 accepts in one upload.' }),
  BadDigest: () => ({ title: 'Upload damaged', message: 'The file arrived at S3 different from what was sent (its checksum did not match). Upload it again.' }),
  TooManyBuckets: () => ({ title: 'Bucket limit reached', message: 'The account has reached its bucket quota. Delete unused buckets or ask AWS for a higher quota.' }),
  InvalidObjectState: (aws) => ({ title: 'Object archived', message: `The object is in an archive storage class and must be restored first: ${aws}` }),
  OperationAborted: () => ({ title: 'Busy', message: 'Another change to this bucket is in progress. Wait a few seconds and try again.', retryable: true }),
  AllAccessDisabled: () => ({ title: 'Bucket disabled', message: 'AWS has disabled all access to this bucket. Contact AWS Support.' }),
  InvalidArgument: (aws) => ({ title: 'S3 refused a value', message: `S3 refused a value: ${aws}` }),
  InvalidRequest: (aws) => ({ title: 'S3 refused the request', message: `S3 refused the request: ${aws}` }),
};
