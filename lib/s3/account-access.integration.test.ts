import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, DeletePublicAccessBlockCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { DeletePublicAccessBlockCommand as DeleteAccountPabCommand, PutPublicAccessBlockCommand as PutAccountPabCommand } from '@aws-sdk/client-s3-control';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { s3ControlClient } from '@/emulator/test-support/clients';
import { spawnEmulator, type SpawnedEmulator } from '@/emulator/test-support/spawn';
import { consoleAgainst, stopConsoleEmulator } from '@/test/console-env';

// The console's read of the account-level Block Public Access (S3 Control's
// GetPublicAccessBlock, with the account id of Berth's own identity) over a
// real emulator, what the bucket page then says is in force, and the
// "why denied" explainer counting the account's RestrictPublicBuckets.

const ACCOUNT = '123456789012';
let emu: SpawnedEmulator;
let s3: S3Client;
let iam: IAMClient;
let bucketOnlyKey: { id: string; secret: string };

async function load(key = { id: 'test', secret: 'test' }) {
  consoleAgainst(emu.url, { key });
  return { ...(await import('./account-access')), ...(await import('@/lib/iam/explain')) };
}

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed'] });
  const config = { endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  s3 = new S3Client({ ...config, forcePathStyle: true });
  iam = new IAMClient(config);
  await s3.send(new CreateBucketCommand({ Bucket: 'site' }));
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'site' }));
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: 'site',
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }] }),
    }),
  );
  // An identity that may read buckets' settings (and IAM, for the explainer) but not the account's setting.
  await iam.send(new CreateUserCommand({ UserName: 'bucket-reader' }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'bucket-reader',
      PolicyName: 'buckets',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: 'arn:aws:s3:::*' },
          { Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'iam:SimulatePrincipalPolicy'], Resource: '*' },
        ],
      }),
    }),
  );
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'bucket-reader' }));
  bucketOnlyKey = { id: key.AccessKey!.AccessKeyId!, secret: key.AccessKey!.SecretAccessKey! };
});

afterAll(() => stopConsoleEmulator(emu));

describe('the account-level Block Public Access, as the console reads it', () => {
  it('reads none while the account has no setting, and the bucket’s then applies alone', async () => {
    const m = await load();
    const r = await m.getAccountPublicAccessBlock();
    expect(r).toEqual({ ok: true, value: null });
    const bucket = { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
    expect(m.publicAccessInForce(bucket, null)).toEqual(bucket);
  });

  it('reads the setting S3 Control holds, and the stricter of the two is in force', async () => {
    await s3ControlClient(emu.url).send(
      new PutAccountPabCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: { IgnorePublicAcls: true, RestrictPublicBuckets: true } }),
    );
    const m = await load();
    const r = await m.getAccountPublicAccessBlock();
    expect(r).toEqual({ ok: true, value: { blockPublicAcls: false, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: true } });
    const bucket = { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
    expect(m.publicAccessInForce(bucket, r.ok ? r.value : null)).toEqual({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: true });
  });

  it('says which permission is missing when the identity may not read the account’s setting', async () => {
    const m = await load(bucketOnlyKey);
    const r = await m.getAccountPublicAccessBlock();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.missingAction).toBe('s3:GetAccountPublicAccessBlock');
      expect(r.problem.message).toBe(
        "Berth's AWS identity is not allowed to call s3:GetAccountPublicAccessBlock. Add s3:GetAccountPublicAccessBlock to the IAM policy attached to the identity Berth runs as, then try again.",
      );
    }
  });

  it('"why denied" counts the account’s RestrictPublicBuckets against a public bucket policy', async () => {
    const m = await load();
    const e = await m.explain({ principal: `arn:aws:iam::${ACCOUNT}:user/bucket-reader`, action: 's3:GetObject', resource: 'arn:aws:s3:::site/index.html' });
    const bpa = e.steps.filter((s) => s.title === 'Block Public Access');
    expect(bpa).toHaveLength(1);
    expect(bpa[0]!.status).toBe('warn');
    expect(bpa[0]!.text).toContain('RestrictPublicBuckets is on for the account');

    await s3ControlClient(emu.url).send(new DeleteAccountPabCommand({ AccountId: ACCOUNT }));
    const off = (await (await load()).explain({ principal: `arn:aws:iam::${ACCOUNT}:user/bucket-reader`, action: 's3:GetObject', resource: 'arn:aws:s3:::site/index.html' })).steps.filter(
      (s) => s.title === 'Block Public Access',
    );
    expect(off.map((s) => s.status)).toEqual(['info']);
    expect(off[0]!.text).toContain('RestrictPublicBuckets is off for the bucket and for the account');
  });

  it('"why denied" names s3:GetAccountPublicAccessBlock when Berth may not read the account’s setting', async () => {
    const m = await load(bucketOnlyKey);
    const e = await m.explain({ principal: `arn:aws:iam::${ACCOUNT}:user/bucket-reader`, action: 's3:GetObject', resource: 'arn:aws:s3:::site/index.html' });
    expect(e.missing).toContain('s3:GetAccountPublicAccessBlock');
    expect(e.steps.some((s) => s.title === 'Block Public Access' && s.status === 'missing' && s.text.includes('s3:GetAccountPublicAccessBlock'))).toBe(true);
  });
});
