import 'server-only';
import type { ErrorTable } from '@/lib/aws/errors';

// IAM's refusals, said so a person knows what to do next. IAM speaks the query
// protocol: the code on the wire is "NoSuchEntity", and the SDK names the
// modeled exception "NoSuchEntityException"; both are keyed, so the sentence
// does not depend on which of the two an error carries.
// https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
const noSuchEntity = (aws: string) => ({
  title: 'Not found in IAM',
  message: `IAM has no such entity: it may have been deleted or renamed since the page was read.${aws ? ` IAM said: “${aws}”` : ''}`,
});
const invalidInput = (aws: string) => ({ title: 'IAM refused a value', message: `IAM refused a value in the request: ${aws || 'it did not say which.'}` });
const limitExceeded = (aws: string) => ({ title: 'IAM limit reached', message: `IAM refused because an account limit was reached: ${aws}` });

export const IAM_ERRORS: ErrorTable = {
  NoSuchEntity: noSuchEntity,
  NoSuchEntityException: noSuchEntity,
  InvalidInput: invalidInput,
  InvalidInputException: invalidInput,
  LimitExceeded: limitExceeded,
  LimitExceededException: limitExceeded,
};
