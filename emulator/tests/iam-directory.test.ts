import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetUserCommand,
  ListAttachedUserPoliciesCommand,
  PutGroupPolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../core/db';
import type { EmulatorEnv } from '../core/types';
import {
  findAccessKey,
  findOidcProvider,
  findRole,
  listPrincipals,
  permissionsBoundary,
  principalPolicies,
  principalTags,
} from '../services/iam/directory';
import { iam as iamService } from '../services/iam/index';
import { iamClient } from '../test-support/clients';
import { spawnEmulator, tempDir } from '../test-support/spawn';

// What IAM hands the rest of the emulator (directory.ts, credentialSource),
// read from the data folder a real emulator process wrote through the SDK,
// and what survives a restart.

const dataDir = tempDir('berth-iam-dir-');
let created: { accessKeyId: string; secret: string };

afterAll(() => {
  // The folder is ours (spawnEmulator only removes folders it made).
  return import('node:fs').then((fs) => fs.rmSync(dataDir, { recursive: true, force: true }));
});

describe('IAM directory', () => {
  it('is written by the API and survives a restart', async () => {
    const emu = await spawnEmulator({ dataDir, args: ['--quiet'] });
    const iam = iamClient(emu.url);
    await iam.send(new CreateUserCommand({ UserName: 'dora', Path: '/team/' }));
    await iam.send(new TagUserCommand({ UserName: 'dora', Tags: [{ Key: 'dept', Value: 'ops' }] }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'dora' }));
    created = { accessKeyId: key.AccessKey!.AccessKeyId!, secret: key.AccessKey!.SecretAccessKey! };
    await iam.send(new PutUserPolicyCommand({ UserName: 'dora', PolicyName: 'own', PolicyDocument: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'ops' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'ops', UserName: 'dora' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'ops', PolicyName: 'group-inline', PolicyDocument: '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}}' }));
    const policy = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'OpsManaged', PolicyDocument: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecr:*","Resource":"*"}}' }),
    );
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'ops', PolicyArn: policy.Policy!.Arn! }));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'dora', PermissionsBoundary: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }));
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'web-identity',
        Path: '/ci/',
        MaxSessionDuration: 7200,
        AssumeRolePolicyDocument:
          '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/issuer.example"},"Action":"sts:AssumeRoleWithWebIdentity"}}',
        Tags: [{ Key: 'kind', Value: 'ci' }],
      }),
    );
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://issuer.example', ClientIDList: ['berth'] }));
    expect(await emu.stop()).toBe(0);

    // A second start over the same folder keeps everything (and does not duplicate the demo identities).
    const again = await spawnEmulator({ dataDir, args: ['--quiet', '--no-seed'] });
    const after = await iamClient(again.url).send(new GetUserCommand({ UserName: 'dora' }));
    expect(after.User?.Arn).toBe('arn:aws:iam::123456789012:user/team/dora');
    await iamClient(again.url).send(new UpdateAccessKeyCommand({ UserName: 'dora', AccessKeyId: created.accessKeyId, Status: 'Inactive' }));
    await iamClient(again.url).send(new UpdateAccessKeyCommand({ UserName: 'dora', AccessKeyId: created.accessKeyId, Status: 'Active' }));
    expect(await again.stop()).toBe(0);
  });

  it('answers keys, policies, tags, roles, providers and principals from the data folder', () => {
    const db = openDatabase(dataDir);
    try {
      expect(findAccessKey(db, 'test')).toEqual({
        accessKeyId: 'test',
        secretAccessKey: 'test',
        status: 'Active',
        user: { userName: 'test', userId: 'AIDAQBERTHTESTUSER001', arn: 'arn:aws:iam::123456789012:user/test', path: '/' },
      });
      expect(findAccessKey(db, created.accessKeyId)).toMatchObject({ secretAccessKey: created.secret, user: { userName: 'dora', path: '/team/' } });
      expect(findAccessKey(db, 'TEST')).toBeUndefined();

      const policies = principalPolicies(db, 'arn:aws:iam::123456789012:user/team/dora');
      expect(policies.map((p) => p.source)).toEqual([
        { kind: 'user-inline', name: 'own' },
        { kind: 'group-inline', name: 'group-inline', groupName: 'ops' },
        { kind: 'group-managed', name: 'OpsManaged', policyArn: 'arn:aws:iam::123456789012:policy/OpsManaged', groupName: 'ops' },
      ]);
      expect(JSON.parse(policies[2]!.document)).toEqual({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'ecr:*', Resource: '*' } });
      const admin = principalPolicies(db, 'arn:aws:iam::123456789012:user/test');
      expect(admin).toHaveLength(1);
      expect(admin[0]?.source).toEqual({ kind: 'user-managed', name: 'AdministratorAccess', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
      expect(JSON.parse(admin[0]!.document)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
      expect(principalPolicies(db, 'arn:aws:iam::123456789012:user/nobody')).toEqual([]);

      expect(principalTags(db, 'arn:aws:iam::123456789012:user/team/dora')).toEqual({ dept: 'ops' });
      const boundary = permissionsBoundary(db, 'arn:aws:iam::123456789012:user/team/dora');
      expect(boundary?.policyArn).toBe('arn:aws:iam::aws:policy/AmazonS3FullAccess');
      expect(JSON.parse(boundary!.document).Statement[0].Action).toEqual(['s3:*', 's3-object-lambda:*']);
      expect(permissionsBoundary(db, 'arn:aws:iam::123456789012:user/test')).toBeUndefined();
      const role = findRole(db, 'arn:aws:iam::123456789012:role/ci/web-identity');
      expect(role).toMatchObject({ roleName: 'web-identity', path: '/ci/', maxSessionDuration: 7200, tags: { kind: 'ci' } });
      expect(JSON.parse(role!.trustPolicy).Statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
      expect(findRole(db, 'WEB-IDENTITY')?.roleName).toBe('web-identity');
      expect(findRole(db, 'arn:aws:iam::123456789012:role/web-identity')).toBeUndefined();
      expect(principalPolicies(db, 'arn:aws:sts::123456789012:assumed-role/web-identity/session')).toEqual([]);

      expect(findOidcProvider(db, 'arn:aws:iam::123456789012:oidc-provider/issuer.example')).toEqual({
        arn: 'arn:aws:iam::123456789012:oidc-provider/issuer.example',
        url: 'issuer.example',
        clientIds: ['berth'],
        thumbprints: [],
        tags: {},
      });
      expect(listPrincipals(db)).toEqual([
        'arn:aws:iam::123456789012:user/team/dora',
        'arn:aws:iam::123456789012:user/readonly',
        'arn:aws:iam::123456789012:user/test',
        'arn:aws:iam::123456789012:role/ci/web-identity',
      ]);

      // credentialSource reads only the database and the account id.
      const env = { db, accountId: '123456789012' } as unknown as EmulatorEnv;
      expect(iamService.credentialSource?.(env, 'readonly')).toEqual({
        secretAccessKey: 'readonly',
        principal: {
          accessKeyId: 'readonly',
          userName: 'readonly',
          userId: 'AIDAQBERTHREADONLY001',
          arn: 'arn:aws:iam::123456789012:user/readonly',
          accountId: '123456789012',
        },
      });
      expect(iamService.credentialSource?.(env, created.accessKeyId)?.principal).toMatchObject({ userName: 'dora', arn: 'arn:aws:iam::123456789012:user/team/dora' });
      expect(iamService.credentialSource?.(env, 'nope')).toBeUndefined();
      db.prepare("UPDATE iam_access_keys SET status = 'Inactive' WHERE access_key_id = ?").run(created.accessKeyId);
      expect(iamService.credentialSource?.(env, created.accessKeyId)).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('puts a deleted demo identity back at the next start, --no-seed or not', async () => {
    const db = openDatabase(dataDir);
    db.transaction(() => {
      db.prepare("DELETE FROM iam_access_keys WHERE user_name = 'readonly'").run();
      db.prepare("DELETE FROM iam_attachments WHERE entity_type = 'user' AND entity_name = 'readonly'").run();
      db.prepare("DELETE FROM iam_users WHERE name = 'readonly'").run();
    })();
    db.close();

    const emu = await spawnEmulator({ dataDir, args: ['--quiet', '--no-seed'] });
    const ro = await iamClient(emu.url, { key: 'readonly' }).send(new GetUserCommand({}));
    expect(ro.User).toMatchObject({ UserName: 'readonly', UserId: 'AIDAQBERTHREADONLY001' });
    const attached = await iamClient(emu.url).send(new ListAttachedUserPoliciesCommand({ UserName: 'readonly' }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['ReadOnlyAccess']);
    expect(await emu.stop()).toBe(0);
    const after = openDatabase(dataDir);
    try {
      expect(findAccessKey(after, 'readonly')?.secretAccessKey).toBe('readonly');
    } finally {
      after.close();
    }
  });
});
