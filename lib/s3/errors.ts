import 'server-only';
import { registerErrorMessages } from '@/lib/aws/errors';

// S3's refusals, said so a person knows what to do next.
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
registerErrorMessages({
  BucketAlreadyExists: () => ({
    title: 'Name taken',
    message: 'Bucket names are global across all AWS accounts, and another account already uses this one. Pick another name.',
  }),
  BucketAlreadyOwnedByYou: () => ({ title: 'Already yours', message: 'You already own a bucket with this name. Open it from the bucket list.' }),
  BucketNotEmpty: () => ({
    title: 'Bucket not empty',
    message: 'The bucket still holds objects, versions or delete markers. Use “Empty and delete”, which removes them all first.',
  }),
  NoSuchBucket: () => ({ title: 'Bucket not found', message: 'The bucket does not exist. It may have been deleted.' }),
  NoSuchKey: () => ({ title: 'Object not found', message: 'The object does not exist (or its latest version is a delete marker).' }),
  NoSuchVersion: () => ({ title: 'Version not found', message: 'That version of the object no longer exists.' }),
  MalformedPolicy: (aws) => ({ title: 'Policy refused', message: `S3 refused the bucket policy: ${aws}` }),
  InvalidBucketName: () => ({ title: 'Invalid name', message: 'S3 does not accept this bucket name. Check the naming rules shown under the field.' }),
  IllegalLocationConstraintException: (aws) => ({ title: 'Wrong region', message: `The bucket’s region and the request do not match: ${aws}` }),
  EntityTooLarge: () => ({ title: 'File too large', message: 'The file is larger than S3 accepts in one upload.' }),
  TooManyBuckets: () => ({ title: 'Bucket limit reached', message: 'The account has reached its bucket quota. Delete unused buckets or ask AWS for a higher quota.' }),
  InvalidObjectState: (aws) => ({ title: 'Object archived', message: `The object is in an archive storage class and must be restored first: ${aws}` }),
  OperationAborted: () => ({ title: 'Busy', message: 'Another change to this bucket is in progress. Wait a few seconds and try again.' }),
});

export {};
