// The bucket-name rules the create forms check as a person types. They sit
// apart from the zod schemas in ./s3.ts, which build on them, so a form's
// browser bundle carries these few lines and not zod (nor the Buffer polyfill
// the object-key schema would pull in): the schema on the server is still the
// check that counts, and it says the same sentences.
//
// S3's bucket naming rules (general purpose buckets) come from S3's user guide,
// not from its model: the model's BucketName is a plain string, with no length
// or pattern (models/aws-constraints.json has no entry for it). Each rule below
// is one the guide states, so a name the guide allows is never refused; names
// in an account regional namespace (…-123456789012-us-east-1-an) follow the same rules.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html

/** Every rule a bucket name breaks, as sentences; empty when it is valid. */
export function bucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 3) problems.push('Use at least 3 characters.');
  if (name.length > 63) problems.push('Use at most 63 characters.');
  if (/[A-Z]/.test(name)) problems.push('Use lowercase letters only.');
  if (/[^a-zA-Z0-9.-]/.test(name)) problems.push('Use only lowercase letters, digits, dots and hyphens.');
  if (/^[^a-z0-9]|[^a-z0-9]$/.test(name)) problems.push('Start and end with a letter or digit.');
  if (name.includes('..')) problems.push('Do not put two dots next to each other.');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) problems.push('A bucket name cannot look like an IP address.');
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) problems.push('Names starting with xn--, sthree- or amzn-s3-demo- are reserved.');
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) problems.push('This ending is reserved by S3.');
  return problems;
}
