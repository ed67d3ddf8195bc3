import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCorsCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketOwnershipControlsCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetObjectAclCommand,
  GetObjectAttributesCommand,
  ListBucketsCommand,
  PutBucketAclCommand,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketVersioningCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  UploadPartCommand,
  type LifecycleRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAws } from '../test-support/aws-cli';
import { failure, s3Client, sigV4For } from '../test-support/clients';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

// Bucket configuration sub-resources, ACLs with Object Ownership, and
// GetObjectAttributes, through the SDK, Debian's AWS CLI and raw HTTP.

let emu: SpawnedEmulator;
let s3: S3Client;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet'] });
  s3 = s3Client(emu.url);
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

async function bucket(name: string): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

async function aws(args: string[]): Promise<unknown> {
  const r = await runAws(emu.url, args);
  expect(r.code, `aws ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout.trim() === '' ? undefined : JSON.parse(r.stdout);
}

async function awsFails(args: string[]): Promise<string> {
  const r = await runAws(emu.url, args);
  expect(r.code, `aws ${args.join(' ')} should fail`).not.toBe(0);
  return r.stderr;
}

const T = 60_000;

describe('S3 lifecycle configuration', () => {
  const rules: LifecycleRule[] = [
    {
      ID: 'logs',
      Status: 'Enabled',
      Filter: { Prefix: 'logs/' },
      Transitions: [
        { Days: 30, StorageClass: 'STANDARD_IA' },
        { Days: 90, StorageClass: 'GLACIER' },
      ],
      Expiration: { Days: 365 },
    },
    {
      ID: 'tmp',
      Status: 'Disabled',
      Filter: { And: { Prefix: 'tmp/', Tags: [{ Key: 'kind', Value: 'scratch' }], ObjectSizeGreaterThan: 10 } },
      NoncurrentVersionExpiration: { NoncurrentDays: 7, NewerNoncurrentVersions: 3 },
    },
    { ID: 'uploads', Status: 'Enabled', Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } },
  ];

  it('puts, gets and deletes a configuration; none answers NoSuchLifecycleConfiguration', async () => {
    const B = await bucket('lc-basic');
    const none = await failure(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B })));
    expect(none.name).toBe('NoSuchLifecycleConfiguration');
    expect(none.$metadata?.httpStatusCode).toBe(404);

    const put = await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: B, LifecycleConfiguration: { Rules: rules } }));
    expect(put.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
    const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B }));
    expect(got.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
    expect(got.Rules).toEqual(rules);

    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: B,
        TransitionDefaultMinimumObjectSize: 'varies_by_storage_class',
        LifecycleConfiguration: { Rules: [{ Status: 'Enabled', Prefix: 'old/', Expiration: { Date: new Date('2030-01-01T00:00:00Z') } }] },
      }),
    );
    const again = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B }));
    expect(again.TransitionDefaultMinimumObjectSize).toBe('varies_by_storage_class');
    expect(again.Rules).toHaveLength(1);
    // S3 names a rule sent without an ID.
    expect(again.Rules?.[0]?.ID).toMatch(/^.{1,255}$/);
    expect(again.Rules?.[0]?.Prefix).toBe('old/');
    expect(again.Rules?.[0]?.Expiration?.Date?.toISOString()).toBe('2030-01-01T00:00:00.000Z');

    await s3.send(new DeleteBucketLifecycleCommand({ Bucket: B }));
    expect((await failure(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B })))).name).toBe('NoSuchLifecycleConfiguration');
    expect((await failure(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'lc-missing' })))).name).toBe('NoSuchBucket');
  }, T);

  it('refuses rules as S3 does', async () => {
    const B = await bucket('lc-refused');
    const put = (r: LifecycleRule[]) => failure(s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: B, LifecycleConfiguration: { Rules: r } })));
    const ok: LifecycleRule = { ID: 'a', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } };
    const cases: [string, LifecycleRule[], string, RegExp?][] = [
      ['duplicate IDs', [ok, { ...ok }], 'InvalidArgument', /Rule ID must be unique/],
      ['an ID over 255 characters', [{ ...ok, ID: 'x'.repeat(256) }], 'InvalidArgument', /255/],
      ['more than 1000 rules', Array.from({ length: 1001 }, (_, i) => ({ ...ok, ID: `r${i}` })), 'MalformedXML'],
      ['Expiration Days 0', [{ ...ok, Expiration: { Days: 0 } }], 'InvalidArgument', /'Days' for Expiration action must be a positive integer/],
      ['Expiration Date not at midnight', [{ ...ok, Expiration: { Date: new Date('2030-01-01T12:00:00Z') } }], 'InvalidArgument', /midnight GMT/],
      ['Expiration with Days and Date', [{ ...ok, Expiration: { Days: 3, Date: new Date('2030-01-01T00:00:00Z') } }], 'MalformedXML'],
      [
        'STANDARD_IA before 30 days',
        [{ ...ok, Expiration: { Days: 100 }, Transitions: [{ Days: 10, StorageClass: 'STANDARD_IA' }] }],
        'InvalidArgument',
        /greater than or equal to 30 for storageClass 'STANDARD_IA'/,
      ],
      [
        'expiring before transitioning',
        [{ ...ok, Expiration: { Days: 20 }, Transitions: [{ Days: 40, StorageClass: 'GLACIER' }] }],
        'InvalidArgument',
        /must be greater than 'Days' in the Transition action/,
      ],
      [
        'two transitions to one class',
        [{ ...ok, Expiration: undefined, Transitions: [{ Days: 1, StorageClass: 'GLACIER' }, { Days: 5, StorageClass: 'GLACIER' }] }],
        'InvalidRequest',
      ],
      ['a Filter with two predicates', [{ ...ok, Filter: { Prefix: 'a', Tag: { Key: 'k', Value: 'v' } } }], 'MalformedXML'],
      ['both Filter and Prefix', [{ ...ok, Prefix: 'a' }], 'MalformedXML'],
      ['neither Filter nor Prefix', [{ ...ok, Filter: undefined }], 'MalformedXML'],
      [
        'duplicate tag keys',
        [{ ...ok, Filter: { And: { Tags: [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }] } } }],
        'InvalidRequest',
        /Duplicate Tag Keys/,
      ],
      ['no action', [{ ID: 'a', Status: 'Enabled', Filter: { Prefix: '' } }], 'InvalidRequest', /At least one action/],
      ['NoncurrentDays 0', [{ ...ok, Expiration: undefined, NoncurrentVersionExpiration: { NoncurrentDays: 0 } }], 'InvalidArgument'],
      [
        'AbortIncompleteMultipartUpload with a tag filter',
        [{ ...ok, Expiration: undefined, Filter: { Tag: { Key: 'k', Value: 'v' } }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
        'InvalidRequest',
      ],
      [
        'AbortIncompleteMultipartUpload after 0 days',
        [{ ...ok, Expiration: undefined, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 0 } }],
        'InvalidArgument',
      ],
    ];
    for (const [what, r, code, message] of cases) {
      const err = await put(r);
      expect(err.name, what).toBe(code);
      expect(err.$metadata?.httpStatusCode, what).toBe(400);
      if (message) expect(err.message, what).toMatch(message);
    }
    // Nothing was stored by the refused calls.
    expect((await failure(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B })))).name).toBe('NoSuchLifecycleConfiguration');
  }, T);

  it('round-trips through the AWS CLI', async () => {
    const B = await bucket('lc-cli');
    const config = { Rules: [{ ID: 'cli', Status: 'Enabled', Filter: { Prefix: 'x/' }, Expiration: { Days: 7 } }] };
    await aws(['s3api', 'put-bucket-lifecycle-configuration', '--bucket', B, '--lifecycle-configuration', JSON.stringify(config)]);
    const got = (await aws(['s3api', 'get-bucket-lifecycle-configuration', '--bucket', B])) as { Rules: unknown[] };
    expect(got.Rules).toEqual(config.Rules);
    await aws(['s3api', 'delete-bucket-lifecycle', '--bucket', B]);
    expect(await awsFails(['s3api', 'get-bucket-lifecycle-configuration', '--bucket', B])).toMatch(/NoSuchLifecycleConfiguration/);
  }, T);
});

describe('S3 CORS', () => {
  const rules = [
    { ID: 'app', AllowedOrigins: ['https://app.example.com', 'https://*.example.org'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type', 'x-amz-*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 },
    { AllowedOrigins: ['*'], AllowedMethods: ['HEAD'] },
  ];

  it('puts, gets and deletes rules; none answers NoSuchCORSConfiguration', async () => {
    const B = await bucket('cors-basic');
    expect((await failure(s3.send(new GetBucketCorsCommand({ Bucket: B })))).name).toBe('NoSuchCORSConfiguration');
    await s3.send(new PutBucketCorsCommand({ Bucket: B, CORSConfiguration: { CORSRules: rules } }));
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: B }))).CORSRules).toEqual(rules);
    await s3.send(new DeleteBucketCorsCommand({ Bucket: B }));
    const gone = await failure(s3.send(new GetBucketCorsCommand({ Bucket: B })));
    expect(gone.name).toBe('NoSuchCORSConfiguration');
    expect(gone.$metadata?.httpStatusCode).toBe(404);
  }, T);

  it('refuses rules as S3 does', async () => {
    const B = await bucket('cors-refused');
    const put = (CORSRules: { AllowedOrigins: string[]; AllowedMethods: string[]; ExposeHeaders?: string[]; AllowedHeaders?: string[] }[]) =>
      failure(s3.send(new PutBucketCorsCommand({ Bucket: B, CORSConfiguration: { CORSRules } })));
    const patch = await put([{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'PATCH'] }]);
    expect(patch.name).toBe('InvalidRequest');
    expect(patch.message).toBe('Found unsupported HTTP method in CORS config. Unsupported method is PATCH');
    const wild = await put([{ AllowedOrigins: ['https://*.example.*'], AllowedMethods: ['GET'] }]);
    expect(wild.name).toBe('InvalidRequest');
    expect(wild.message).toMatch(/can not have more than one wildcard/);
    expect((await put([{ AllowedOrigins: ['*'], AllowedMethods: ['GET'], ExposeHeaders: ['*'] }])).name).toBe('InvalidRequest');
    expect((await put(Array.from({ length: 101 }, () => ({ AllowedOrigins: ['*'], AllowedMethods: ['GET'] })))).name).toBe('MalformedXML');
    expect((await put([])).name).toBe('MalformedXML');
  }, T);

  it('answers preflights and adds CORS headers to actual requests', async () => {
    const B = await bucket('cors-browser');
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'a.txt', Body: 'hi' }));
    const options = (headers: Record<string, string>, path = `/${B}/a.txt`) => rawRequest(emu.url, { method: 'OPTIONS', path, headers });

    const before = await options({ Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'GET' });
    expect(before.status).toBe(403);
    expect(before.body).toMatch(/<Code>AccessForbidden<\/Code>/);

    await s3.send(new PutBucketCorsCommand({ Bucket: B, CORSConfiguration: { CORSRules: rules } }));
    const ok = await options({ Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'Content-Type, X-Amz-Date' });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(ok.headers['access-control-allow-methods']).toBe('GET, PUT');
    expect(ok.headers['access-control-allow-headers']).toBe('content-type, x-amz-date');
    expect(ok.headers['access-control-expose-headers']).toBe('ETag');
    expect(ok.headers['access-control-max-age']).toBe('600');
    expect(ok.headers['access-control-allow-credentials']).toBe('true');

    const sub = await options({ Origin: 'https://shop.example.org', 'Access-Control-Request-Method': 'GET' });
    expect(sub.status).toBe(200);
    const anyHead = await options({ Origin: 'https://elsewhere.test', 'Access-Control-Request-Method': 'HEAD' }, `/${B}`);
    expect(anyHead.status).toBe(200);
    expect(anyHead.headers['access-control-allow-origin']).toBe('*');

    const denied = await options({ Origin: 'https://evil.test', 'Access-Control-Request-Method': 'PUT' });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatch(/<Code>AccessForbidden<\/Code>/);
    expect(denied.body).toMatch(/CORSResponse: This CORS request is not allowed/);
    const badHeader = await options({ Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization' });
    expect(badHeader.status).toBe(403);
    const noOrigin = await options({ 'Access-Control-Request-Method': 'GET' });
    expect(noOrigin.status).toBe(400);
    expect(noOrigin.body).toMatch(/Origin request header needed/);
    expect((await options({ Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'GET' }, '/cors-no-such-bucket/a')).status).toBe(403);

    // Actual requests: a matching Origin gets the headers, others do not.
    const auth = { Authorization: sigV4For('s3'), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
    const get = await rawRequest(emu.url, { path: `/${B}/a.txt`, headers: { ...auth, Origin: 'https://app.example.com' } });
    expect(get.status).toBe(200);
    expect(get.body).toBe('hi');
    expect(get.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(get.headers['access-control-expose-headers']).toBe('ETag');
    const put = await rawRequest(emu.url, { method: 'PUT', path: `/${B}/b.txt`, headers: { ...auth, Origin: 'https://app.example.com', 'Content-Length': '2' }, body: 'yo' });
    expect(put.status).toBe(200);
    expect(put.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const foreign = await rawRequest(emu.url, { path: `/${B}/a.txt`, headers: { ...auth, Origin: 'https://evil.test' } });
    expect(foreign.status).toBe(200);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const plain = await rawRequest(emu.url, { path: `/${B}/a.txt`, headers: auth });
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
  }, T);

  it('round-trips through the AWS CLI', async () => {
    const B = await bucket('cors-cli');
    const config = { CORSRules: [{ AllowedOrigins: ['https://console.example.com'], AllowedMethods: ['GET', 'HEAD'], MaxAgeSeconds: 60 }] };
    await aws(['s3api', 'put-bucket-cors', '--bucket', B, '--cors-configuration', JSON.stringify(config)]);
    expect(await aws(['s3api', 'get-bucket-cors', '--bucket', B])).toEqual(config);
    await aws(['s3api', 'delete-bucket-cors', '--bucket', B]);
    expect(await awsFails(['s3api', 'get-bucket-cors', '--bucket', B])).toMatch(/NoSuchCORSConfiguration/);
  }, T);
});

describe('S3 Object Ownership and ACLs', () => {
  it('reads the owner FULL_CONTROL and refuses ACL writes on BucketOwnerEnforced buckets', async () => {
    const B = await bucket('acl-enforced');
    const owner = (await s3.send(new ListBucketsCommand({}))).Owner;
    expect(owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    const controls = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: B }));
    expect(controls.OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);

    const acl = await s3.send(new GetBucketAclCommand({ Bucket: B }));
    expect(acl.Owner).toEqual(owner);
    expect(acl.Grants).toEqual([{ Grantee: { Type: 'CanonicalUser', ID: owner?.ID, DisplayName: owner?.DisplayName }, Permission: 'FULL_CONTROL' }]);

    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x' }));
    const objAcl = await s3.send(new GetObjectAclCommand({ Bucket: B, Key: 'k' }));
    expect(objAcl.Owner).toEqual(owner);
    expect(objAcl.Grants).toEqual(acl.Grants);
    expect((await failure(s3.send(new GetObjectAclCommand({ Bucket: B, Key: 'missing' })))).name).toBe('NoSuchKey');

    const putBucketAcl = await failure(s3.send(new PutBucketAclCommand({ Bucket: B, ACL: 'private' })));
    expect(putBucketAcl.name).toBe('AccessControlListNotSupported');
    expect(putBucketAcl.message).toBe('The bucket does not allow ACLs');
    expect((await failure(s3.send(new PutObjectAclCommand({ Bucket: B, Key: 'k', ACL: 'public-read' })))).name).toBe('AccessControlListNotSupported');

    const putWithAcl = await failure(s3.send(new PutObjectCommand({ Bucket: B, Key: 'p', Body: 'x', ACL: 'public-read' })));
    expect(putWithAcl.name).toBe('AccessControlListNotSupported');
    expect(putWithAcl.$metadata?.httpStatusCode).toBe(400);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'p', Body: 'x', ACL: 'bucket-owner-full-control' }));
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'p', Body: 'x', GrantFullControl: `id="${owner?.ID}"` }));
    const grant = await failure(s3.send(new PutObjectCommand({ Bucket: B, Key: 'p', Body: 'x', GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' })));
    expect(grant.name).toBe('AccessControlListNotSupported');
  }, T);

  it('stores ACLs once ACLs are enabled, within Block Public Access', async () => {
    const B = await bucket('acl-writer');
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: B, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: B }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'ObjectWriter' }]);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x', ACL: 'private' }));

    // New buckets block public ACLs.
    expect((await failure(s3.send(new PutBucketAclCommand({ Bucket: B, ACL: 'public-read' })))).name).toBe('AccessDenied');
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: B }));

    await s3.send(new PutBucketAclCommand({ Bucket: B, ACL: 'public-read' }));
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: B }));
    expect(acl.Grants).toHaveLength(2);
    expect(acl.Grants?.[1]).toEqual({ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' });

    await s3.send(new PutObjectAclCommand({ Bucket: B, Key: 'k', ACL: 'authenticated-read' }));
    const objAcl = await s3.send(new GetObjectAclCommand({ Bucket: B, Key: 'k' }));
    expect(objAcl.Grants?.map((g) => g.Grantee?.URI ?? g.Grantee?.ID)).toEqual([acl.Owner?.ID, 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers']);
    // A new object under the key starts private again.
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'y' }));
    expect((await s3.send(new GetObjectAclCommand({ Bucket: B, Key: 'k' }))).Grants).toHaveLength(1);

    // ACLs cannot be switched off while the bucket ACL grants others.
    const enforce = () => s3.send(new PutBucketOwnershipControlsCommand({ Bucket: B, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }));
    expect((await failure(enforce())).name).toBe('InvalidBucketAclWithObjectOwnership');
    await s3.send(new PutBucketAclCommand({ Bucket: B, ACL: 'private' }));
    await enforce();
    expect((await s3.send(new GetBucketAclCommand({ Bucket: B }))).Grants).toHaveLength(1);

    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: B }));
    expect((await failure(s3.send(new GetBucketOwnershipControlsCommand({ Bucket: B })))).name).toBe('OwnershipControlsNotFoundError');
  }, T);

  it('reads ownership and ACLs through the AWS CLI', async () => {
    const B = await bucket('acl-cli');
    expect(await aws(['s3api', 'get-bucket-ownership-controls', '--bucket', B])).toEqual({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const acl = (await aws(['s3api', 'get-bucket-acl', '--bucket', B])) as { Grants: { Permission: string }[] };
    expect(acl.Grants.map((g) => g.Permission)).toEqual(['FULL_CONTROL']);
    expect(await awsFails(['s3api', 'put-bucket-acl', '--bucket', B, '--acl', 'private'])).toMatch(/AccessControlListNotSupported/);
  }, T);
});

describe('S3 configuration and the readonly key', () => {
  it('reads with the readonly key and is refused writes, naming the IAM action', async () => {
    const B = await bucket('ro-config');
    await s3.send(new PutBucketCorsCommand({ Bucket: B, CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }] } }));
    const ro = s3Client(emu.url, { key: 'readonly' });
    expect((await ro.send(new GetBucketCorsCommand({ Bucket: B }))).CORSRules).toHaveLength(1);
    expect((await ro.send(new GetBucketAclCommand({ Bucket: B }))).Grants).toHaveLength(1);
    const refusals: [Promise<unknown>, string][] = [
      [ro.send(new DeleteBucketCorsCommand({ Bucket: B })), 's3:PutBucketCORS'],
      [ro.send(new PutBucketLifecycleConfigurationCommand({ Bucket: B, LifecycleConfiguration: { Rules: [{ ID: 'a', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } }] } })), 's3:PutLifecycleConfiguration'],
      [ro.send(new PutBucketOwnershipControlsCommand({ Bucket: B, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } })), 's3:PutBucketOwnershipControls'],
    ];
    for (const [call, action] of refusals) {
      const err = await failure(call);
      expect(err.name).toBe('AccessDenied');
      expect(err.message).toContain(action);
      expect(err.message).toContain(`arn:aws:s3:::${B}`);
    }
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: B }))).CORSRules).toHaveLength(1);
  }, T);
});

describe('S3 logging and notification configuration', () => {
  it('logging: off by default, needs an existing target, stored and read back', async () => {
    const B = await bucket('log-source');
    const T2 = await bucket('log-target');
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: B }))).LoggingEnabled).toBeUndefined();
    const missing = await failure(
      s3.send(new PutBucketLoggingCommand({ Bucket: B, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'log-nowhere', TargetPrefix: 'a/' } } })),
    );
    expect(missing.name).toBe('InvalidTargetBucketForLogging');
    await s3.send(new PutBucketLoggingCommand({ Bucket: B, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: T2, TargetPrefix: 'logs/' } } }));
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: B }))).LoggingEnabled).toEqual({ TargetBucket: T2, TargetPrefix: 'logs/' });
    await s3.send(new PutBucketLoggingCommand({ Bucket: B, BucketLoggingStatus: {} }));
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: B }))).LoggingEnabled).toBeUndefined();
  }, T);

  it('notifications: empty by default, stored with Ids, overlaps refused', async () => {
    const B = await bucket('notify-me');
    const empty = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: B }));
    expect(empty.QueueConfigurations ?? []).toEqual([]);
    expect(empty.EventBridgeConfiguration).toBeUndefined();

    const queue = { QueueArn: 'arn:aws:sqs:us-east-1:000000000000:uploads', Events: ['s3:ObjectCreated:*' as const], Filter: { Key: { FilterRules: [{ Name: 'prefix' as const, Value: 'in/' }] } } };
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: B, NotificationConfiguration: { QueueConfigurations: [queue], EventBridgeConfiguration: {} } }));
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: B }));
    expect(got.QueueConfigurations).toHaveLength(1);
    expect(got.QueueConfigurations?.[0]).toMatchObject(queue);
    expect(got.QueueConfigurations?.[0]?.Id).toBeTruthy();
    expect(got.EventBridgeConfiguration).toEqual({});

    const overlap = await failure(
      s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: B,
          NotificationConfiguration: { QueueConfigurations: [queue, { ...queue, QueueArn: 'arn:aws:sqs:us-east-1:000000000000:other', Events: ['s3:ObjectCreated:Put'] }] },
        }),
      ),
    );
    expect(overlap.name).toBe('InvalidArgument');
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: B, NotificationConfiguration: {} }));
    expect((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: B }))).QueueConfigurations ?? []).toEqual([]);
  }, T);

  it('reads both through the AWS CLI', async () => {
    const B = await bucket('log-cli');
    expect(await aws(['s3api', 'get-bucket-logging', '--bucket', B])).toBeUndefined();
    expect(await aws(['s3api', 'get-bucket-notification-configuration', '--bucket', B])).toBeUndefined();
    await aws(['s3api', 'put-bucket-logging', '--bucket', B, '--bucket-logging-status', JSON.stringify({ LoggingEnabled: { TargetBucket: B, TargetPrefix: 'self/' } })]);
    expect(await aws(['s3api', 'get-bucket-logging', '--bucket', B])).toEqual({ LoggingEnabled: { TargetBucket: B, TargetPrefix: 'self/' } });
  }, T);
});

describe('S3 GetObjectAttributes', () => {
  it('answers ETag, size, storage class and the parts of a multipart object', async () => {
    const B = await bucket('attrs');
    await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Enabled' } }));
    const put = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'small', Body: 'hello', StorageClass: 'STANDARD_IA' }));
    const small = await s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'small', ObjectAttributes: ['ETag', 'ObjectSize', 'StorageClass', 'ObjectParts'] }));
    expect(small.ETag).toBe(put.ETag?.replace(/"/g, ''));
    expect(small.ObjectSize).toBe(5);
    expect(small.StorageClass).toBe('STANDARD_IA');
    expect(small.ObjectParts).toBeUndefined();
    expect(small.VersionId).toBe(put.VersionId);
    expect(small.LastModified).toBeInstanceOf(Date);

    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'big' }));
    const sizes = [5 * 1024 * 1024, 5 * 1024 * 1024, 7];
    const parts = [];
    for (const [i, size] of sizes.entries()) {
      const up = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'big', UploadId, PartNumber: i + 1, Body: Buffer.alloc(size, i) }));
      parts.push({ PartNumber: i + 1, ETag: up.ETag });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'big', UploadId, MultipartUpload: { Parts: parts } }));
    const all = await s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'big', ObjectAttributes: ['ObjectParts', 'ObjectSize'] }));
    expect(all.ObjectSize).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(all.ObjectParts?.TotalPartsCount).toBe(3);
    expect(all.ObjectParts?.Parts).toEqual(sizes.map((Size, i) => ({ PartNumber: i + 1, Size })));
    expect(all.ObjectParts?.IsTruncated).toBe(false);
    const first = await s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'big', ObjectAttributes: ['ObjectParts'], MaxParts: 1 }));
    expect(first.ObjectParts?.Parts).toEqual([{ PartNumber: 1, Size: sizes[0] }]);
    expect(first.ObjectParts?.IsTruncated).toBe(true);
    expect(first.ObjectParts?.NextPartNumberMarker).toBe('1');
    const rest = await s3.send(
      new GetObjectAttributesCommand({ Bucket: B, Key: 'big', ObjectAttributes: ['ObjectParts'], MaxParts: 5, PartNumberMarker: first.ObjectParts?.NextPartNumberMarker }),
    );
    expect(rest.ObjectParts?.Parts?.map((p) => p.PartNumber)).toEqual([2, 3]);

    expect((await failure(s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'nope', ObjectAttributes: ['ETag'] })))).name).toBe('NoSuchKey');
  }, T);

  it('requires x-amz-object-attributes, and works with the AWS CLI', async () => {
    const B = await bucket('attrs-cli');
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'o', Body: 'abc' }));
    const auth = { Authorization: sigV4For('s3') };
    const raw = await rawRequest(emu.url, { path: `/${B}/o?attributes`, headers: auth });
    expect(raw.status).toBe(400);
    expect(raw.body).toMatch(/<Code>InvalidArgument<\/Code>/);
    const out = (await aws(['s3api', 'get-object-attributes', '--bucket', B, '--key', 'o', '--object-attributes', 'ObjectSize', 'StorageClass'])) as Record<string, unknown>;
    expect(out.ObjectSize).toBe(3);
    expect(out.StorageClass).toBe('STANDARD');
  }, T);
});
