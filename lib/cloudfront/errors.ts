import 'server-only';
import type { ErrorTable } from '@/lib/aws/errors';

// CloudFront's refusals, said so a person knows what to do next.
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/CommonErrors.html
export const CLOUDFRONT_ERRORS: ErrorTable = {
  NoSuchDistribution: () => ({ title: 'Distribution not found', message: 'The distribution does not exist. It may have been deleted.' }),
  DistributionNotDisabled: () => ({
    title: 'Still enabled',
    message: 'CloudFront deletes a distribution only once it is disabled and that change has finished deploying. Disable it, wait for “Deployed”, then delete.',
  }),
  // Every CloudFront update carries the ETag it was based on (If-Match).
  PreconditionFailed: () => ({
    title: 'Changed by someone else',
    message: 'The distribution changed since this page was loaded, so CloudFront refused to overwrite that change. Reload to see the current settings, then make your change again.',
  }),
  InvalidIfMatchVersion: () => ({ title: 'Out of date', message: 'CloudFront did not accept the version this change was based on. Reload and try again.' }),
  DistributionAlreadyExists: () => ({ title: 'Already created', message: 'This form was already submitted and the distribution exists. Open it from the list.' }),
  InvalidDefaultRootObject: () => ({ title: 'Default root object refused', message: 'CloudFront refused the default root object. Give an object name such as index.html, without a leading “/”.' }),
  OriginAccessControlInUse: () => ({
    title: 'Origin access control in use',
    message: 'Another distribution still uses this origin access control. Remove it from that distribution (or delete the distribution) first.',
  }),
  CloudFrontOriginAccessIdentityInUse: () => ({ title: 'Origin access identity in use', message: 'A distribution still uses this origin access identity. Delete or change that distribution first.' }),
  NoSuchOriginAccessControl: () => ({ title: 'Origin access control not found', message: 'The origin access control no longer exists. Reload the form and pick again.' }),
  TooManyInvalidationsInProgress: () => ({
    title: 'Too many invalidations',
    message: 'CloudFront limits how many invalidation paths can be in progress at once. Wait for the running ones to complete, or use a wildcard such as /images/*.',
  }),
  InvalidationBatchAlreadyExists: () => ({ title: 'Already sent', message: 'This invalidation form was already submitted with different paths. Reload the page to start a new one.' }),
  TooManyDistributions: () => ({ title: 'Distribution quota reached', message: 'The account has as many distributions as its quota allows. Delete unused ones or ask AWS for more.' }),
  IllegalUpdate: (aws) => ({ title: 'Change refused', message: `CloudFront refused this change: ${aws}` }),
  InvalidWebACLId: () => ({ title: 'Web ACL refused', message: 'CloudFront did not accept the web ACL. Pick one with scope CLOUDFRONT from the list.' }),
  InvalidArgument: (aws) => ({ title: 'CloudFront refused a value', message: `CloudFront refused a value: ${aws}` }),
};

// AWS WAF's refusals (the web ACLs a distribution uses).
// https://docs.aws.amazon.com/waf/latest/APIReference/CommonErrors.html
export const WAF_ERRORS: ErrorTable = {
  WAFDuplicateItemException: () => ({ title: 'Name taken', message: 'A web ACL with this name already exists. Pick it under “Use an existing web ACL”.' }),
  WAFAssociatedItemException: () => ({ title: 'Web ACL in use', message: 'A distribution still uses this web ACL. Detach it from the distribution first.' }),
  WAFOptimisticLockException: () => ({ title: 'Changed by someone else', message: 'The web ACL changed since it was read. Reload and try again.' }),
  WAFNonexistentItemException: () => ({ title: 'Web ACL not found', message: 'The web ACL no longer exists. Reload the form and pick again.' }),
  WAFLimitsExceededException: (aws) => ({ title: 'WAF limit reached', message: `AWS WAF refused because a limit was reached: ${aws}` }),
  WAFInvalidParameterException: (aws) => ({ title: 'WAF refused a setting', message: `AWS WAF refused a setting: ${aws}` }),
};
