import 'server-only';
import { createHash } from 'node:crypto';
import {
  CreateCloudFrontOriginAccessIdentityCommand,
  CreateOriginAccessControlCommand,
  DeleteCloudFrontOriginAccessIdentityCommand,
  DeleteOriginAccessControlCommand,
  GetCloudFrontOriginAccessIdentityCommand,
  GetOriginAccessControlCommand,
  paginateListOriginAccessControls,
} from '@aws-sdk/client-cloudfront';
import { cloudfrontClient } from '@/lib/aws/clients';
import './errors';

// How CloudFront proves itself to a private bucket. Origin Access Control is
// what AWS recommends; the legacy Origin Access Identity still works for
// existing setups. Neither works with an S3 *website* endpoint origin.
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html

export interface OriginAccessControl {
  id: string;
  name: string;
  originType: string;
  signingBehavior: string;
}

export async function listOriginAccessControls(): Promise<OriginAccessControl[]> {
  const out: OriginAccessControl[] = [];
  for await (const page of paginateListOriginAccessControls({ client: cloudfrontClient(), pageSize: 100 }, {})) {
    for (const o of page.OriginAccessControlList?.Items ?? []) {
      out.push({ id: o.Id ?? '', name: o.Name ?? '', originType: o.OriginAccessControlOriginType ?? '', signingBehavior: o.SigningBehavior ?? '' });
    }
  }
  return out;
}

/** The OAC Berth names after a bucket: reused when it exists, so retries make one. */
export function oacNameFor(bucket: string): string {
  // OAC names are at most 64 characters; a long bucket name keeps a hash of
  // the whole name, so two long names that share a start do not share an OAC.
  const name = `berth-${bucket}`;
  if (name.length <= 64) return name;
  return `${name.slice(0, 55)}-${createHash('sha256').update(bucket).digest('hex').slice(0, 8)}`;
}

export async function ensureOriginAccessControl(bucket: string): Promise<{ id: string; created: boolean }> {
  const name = oacNameFor(bucket);
  const existing = (await listOriginAccessControls()).find((o) => o.name === name);
  if (existing) return { id: existing.id, created: false };
  try {
    const out = await cloudfrontClient().send(
      new CreateOriginAccessControlCommand({
        OriginAccessControlConfig: {
          Name: name,
          Description: `Made by Berth for the S3 bucket ${bucket}`,
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
          SigningProtocol: 'sigv4',
        },
      }),
    );
    return { id: out.OriginAccessControl!.Id!, created: true };
  } catch (error) {
    // Made by a request racing this one: use it.
    if ((error as Error).name !== 'OriginAccessControlAlreadyExists') throw error;
    const again = (await listOriginAccessControls()).find((o) => o.name === name);
    if (!again) throw error;
    return { id: again.id, created: false };
  }
}

export async function createOriginAccessIdentity(callerReference: string, bucket: string): Promise<{ id: string; canonicalUserId: string }> {
  // CloudFront returns the existing OAI for a CallerReference it has seen with the same comment.
  const out = await cloudfrontClient().send(
    new CreateCloudFrontOriginAccessIdentityCommand({
      CloudFrontOriginAccessIdentityConfig: { CallerReference: callerReference, Comment: oaiCommentFor(bucket) },
    }),
  );
  return { id: out.CloudFrontOriginAccessIdentity!.Id!, canonicalUserId: out.CloudFrontOriginAccessIdentity!.S3CanonicalUserId ?? '' };
}

export async function deleteOriginAccessControl(id: string): Promise<void> {
  const cf = cloudfrontClient();
  const current = await cf.send(new GetOriginAccessControlCommand({ Id: id }));
  await cf.send(new DeleteOriginAccessControlCommand({ Id: id, IfMatch: current.ETag }));
}

/**
 * How a bucket policy names an OAI: a CloudFront-owned IAM user in the same
 * partition as the bucket (arn:aws-cn:iam::… in China, arn:aws-us-gov:iam::… in GovCloud).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html#private-content-oai-s3-policy
 */
export function oaiArn(id: string, partition: string): string {
  return `arn:${partition}:iam::cloudfront:user/CloudFront Origin Access Identity ${id}`;
}

/** An OAC's name, or null when it no longer exists. */
export async function describeOriginAccessControl(id: string): Promise<{ id: string; name: string } | null> {
  try {
    const out = await cloudfrontClient().send(new GetOriginAccessControlCommand({ Id: id }));
    return { id, name: out.OriginAccessControl?.OriginAccessControlConfig?.Name ?? id };
  } catch (error) {
    if ((error as Error).name === 'NoSuchOriginAccessControl') return null;
    throw error;
  }
}

/** The comment Berth gives an OAI it creates for a bucket: how the cleanup page knows the OAI is Berth's. */
export function oaiCommentFor(bucket: string): string {
  return `Berth: ${bucket}`;
}

/** An OAI's comment, or null when it no longer exists. */
export async function describeOriginAccessIdentity(id: string): Promise<{ id: string; comment: string } | null> {
  try {
    const out = await cloudfrontClient().send(new GetCloudFrontOriginAccessIdentityCommand({ Id: id }));
    return { id, comment: out.CloudFrontOriginAccessIdentity?.CloudFrontOriginAccessIdentityConfig?.Comment ?? '' };
  } catch (error) {
    if ((error as Error).name === 'NoSuchCloudFrontOriginAccessIdentity') return null;
    throw error;
  }
}

/** Deletes an OAI with its latest ETag; CloudFront refuses while a distribution uses it. */
export async function deleteOriginAccessIdentity(id: string): Promise<void> {
  const cf = cloudfrontClient();
  const current = await cf.send(new GetCloudFrontOriginAccessIdentityCommand({ Id: id }));
  await cf.send(new DeleteCloudFrontOriginAccessIdentityCommand({ Id: id, IfMatch: current.ETag }));
}
