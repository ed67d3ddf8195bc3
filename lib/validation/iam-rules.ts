import './constraints/iam';
import { memberShape, satisfies, stringRule } from './aws-model';

// IAM's identifier rules, from its current API model (models/aws-constraints.json),
// for values Berth passes on to IAM rather than takes from a form.

/**
 * An access key id as IAM's model types it (accessKeyIdType: 16 to 128 word
 * characters). IAM refuses any other id before looking it up, so a key listed
 * with another id (the emulator's short demo keys "test" and "readonly") is
 * not worth asking about.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html
 */
const ACCESS_KEY_ID = stringRule('iam', memberShape('iam', 'GetAccessKeyLastUsedRequest', 'AccessKeyId'));

export const isAccessKeyId = (id: string): boolean => satisfies(ACCESS_KEY_ID, id);
