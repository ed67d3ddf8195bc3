import 'server-only';
import type { ErrorTable } from '@/lib/aws/errors';

// CloudTrail's refusals of the reads the Activity tab makes, said so a person
// knows what to do. https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html#API_LookupEvents_Errors
export const CLOUDTRAIL_ERRORS: ErrorTable = {
  InvalidNextTokenException: () => ({
    title: 'Page link expired',
    message: 'CloudTrail no longer accepts this page link. Go back to the first page of the activity.',
  }),
  InvalidTimeRangeException: () => ({ title: 'Time range not valid', message: 'CloudTrail refused the time range: the start must come before the end.' }),
  InvalidLookupAttributesException: () => ({ title: 'Lookup not valid', message: 'CloudTrail refused the lookup attribute Berth sent.' }),
  TrailNotFoundException: () => ({ title: 'Trail not found', message: 'The trail no longer exists. Reload the page.' }),
  OperationNotPermittedException: () => ({ title: 'Not permitted', message: 'CloudTrail does not permit this operation for the account.' }),
  UnsupportedOperationException: () => ({ title: 'Not supported', message: 'CloudTrail does not support this operation in this region.' }),
};
