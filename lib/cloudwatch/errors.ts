import 'server-only';
import type { ErrorTable } from '@/lib/aws/errors';

// CloudWatch's refusals of a metrics read, said so a person knows what to do.
// The JSON protocol names the error shapes; the query protocol (and AWS's
// documentation) their codes; both are listed.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html#API_GetMetricData_Errors
const invalid = (aws: string) => ({
  title: 'CloudWatch refused the query',
  message: `CloudWatch did not accept Berth's metrics query: ${aws || 'a parameter was not valid'}.`,
});

export const CLOUDWATCH_ERRORS: ErrorTable = {
  InvalidParameterValue: invalid,
  InvalidParameterValueException: invalid,
  InvalidParameterCombination: invalid,
  InvalidParameterCombinationException: invalid,
  ValidationError: invalid,
  ValidationException: invalid,
  InvalidNextToken: () => ({ title: 'Paging expired', message: 'CloudWatch no longer accepts the page token. Reload the page.', retryable: true }),
};
