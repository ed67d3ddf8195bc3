import type Database from 'better-sqlite3';
import type { PublicAccessBlockConfiguration } from '@aws-sdk/client-s3-control';
import { AwsError } from '../../core/errors';
import {
  accountPublicAccessBlockOf,
  malformedXml,
  PUBLIC_ACCESS_BLOCK_KEYS,
  setAccountPublicAccessBlock,
  type PublicAccessBlock,
} from '../s3/index';

/**
 * The account-level Block Public Access setting, as S3 Control keeps it. The
 * setting itself is stored beside S3's buckets (`s3_account_settings`),
 * because S3 enforces it on every bucket of the account; this module holds
 * S3 Control's rules for reading and writing it.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PutPublicAccessBlock.html
 */

/**
 * The account a request names (x-amz-account-id) must be the caller's own:
 * the account setting is changed only by the account itself, so another
 * account's id is refused like any request on something the caller may not
 * touch, with S3's bare 403 "Access Denied".
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-account.html
 */
export function checkAccount(callerAccount: string, named: string | undefined): string {
  if (named === undefined || named === '') {
    // The SDK requires AccountId; a raw request without the header has asked for no account.
    throw new AwsError('InvalidRequest', 'Missing required header for this request: x-amz-account-id', 400);
  }
  if (named !== callerAccount) throw new AwsError('AccessDenied', 'Access Denied', 403);
  return named;
}

export function getAccountPublicAccessBlock(db: Database.Database, accountId: string): PublicAccessBlock {
  const pab = accountPublicAccessBlockOf(db, accountId);
  if (!pab) {
    throw new AwsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404, {
      fields: { AccountId: accountId },
    });
  }
  return pab;
}

/** As for a bucket, a setting the document leaves out is false. */
export function putAccountPublicAccessBlock(db: Database.Database, accountId: string, cfg: PublicAccessBlockConfiguration | undefined): void {
  if (!cfg) throw malformedXml();
  const pab = {} as PublicAccessBlock;
  for (const k of PUBLIC_ACCESS_BLOCK_KEYS) pab[k] = cfg[k] === true;
  setAccountPublicAccessBlock(db, accountId, pab);
}

/** Deleting a setting that is not there succeeds, as it does for a bucket's. */
export function deleteAccountPublicAccessBlock(db: Database.Database, accountId: string): void {
  setAccountPublicAccessBlock(db, accountId, null);
}
