import {
  AddClientIDToOpenIDConnectProviderCommand,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteGroupCommand,
  DeleteOpenIDConnectProviderCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand,
  GetGroupCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListGroupsForUserCommand,
  ListOpenIDConnectProviderTagsCommand,
  ListOpenIDConnectProvidersCommand,
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  RemoveClientIDFromOpenIDConnectProviderCommand,
  RemoveUserFromGroupCommand,
  SetDefaultPolicyVersionCommand,
  TagOpenIDConnectProviderCommand,
  TagPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagPolicyCommand,
  UntagRoleCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
  UpdateRoleCommand,
  UpdateUserCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteUserPermissionsBoundaryCommand,
  GetAccountSummaryCommand,
  PutRolePermissionsBoundaryCommand,
  PutUserPermissionsBoundaryCommand,
  UpdateGroupCommand,
  UpdateRoleDescriptionCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, sigV4For, iamClient, stsClient } from '../test-support/clients';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

// IAM over the unmodified SDK against a spawned emulator started with
// --no-seed: the demo identities must exist even then.

let emu: SpawnedEmulator;
let iam: IAMClient;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet', '--no-seed'] });
  iam = iamClient(emu.url);
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

const doc = (statement: object | object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statement });
const allow = (action: string | string[], resource: string | string[] = '*') => doc({ Effect: 'Allow', Action: action, Resource: resource });
const trust = (principal: object) => doc({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' });

async function refusal(p: Promise<unknown>) {
  const err = (await failure(p)) as Error & { Code?: string; $metadata: { httpStatusCode?: number } };
  return { code: err.name, message: err.message, status: err.$metadata.httpStatusCode };
}

describe('the demo identities', () => {
  it('exist without seeding: test (AdministratorAccess) and readonly (ReadOnlyAccess), with their ids and keys', async () => {
    const me = await iam.send(new GetUserCommand({}));
    expect(me.User).toMatchObject({ UserName: 'test', UserId: 'AIDAQBERTHTESTUSER001', Arn: 'arn:aws:iam::123456789012:user/test', Path: '/' });
    const ro = await iamClient(emu.url, { key: 'readonly' }).send(new GetUserCommand({}));
    expect(ro.User).toMatchObject({ UserName: 'readonly', UserId: 'AIDAQBERTHREADONLY001' });

    const keys = await iam.send(new ListAccessKeysCommand({ UserName: 'test' }));
    expect(keys.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status])).toEqual([['test', 'Active']]);
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'readonly' }));
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }]);

    // STS names the same identity.
    const who = await stsClient(emu.url).send(new GetCallerIdentityCommand({}));
    expect(who.UserId).toBe('AIDAQBERTHTESTUSER001');
  });

  it('readonly may read IAM but every write is refused naming the action and the user', async () => {
    const ro = iamClient(emu.url, { key: 'readonly' });
    await ro.send(new ListUsersCommand({}));
    const r = await refusal(ro.send(new CreateUserCommand({ UserName: 'sneaky' })));
    expect(r).toMatchObject({ code: 'AccessDenied', status: 403 });
    expect(r.message).toContain('arn:aws:iam::123456789012:user/readonly is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/sneaky');
  });

  it('the seeded users cannot be deleted while their keys and policies remain', async () => {
    const r = await refusal(iam.send(new DeleteUserCommand({ UserName: 'test' })));
    expect(r).toEqual({ code: 'DeleteConflictException', message: 'Cannot delete entity, must delete access keys first.', status: 409 });
  });
});

describe('users', () => {
  it('create, get, rename, tag and delete, with IAM errors', async () => {
    const created = await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'web' }] }));
    expect(created.User).toMatchObject({ UserName: 'alice', Path: '/eng/', Arn: 'arn:aws:iam::123456789012:user/eng/alice', Tags: [{ Key: 'team', Value: 'web' }] });
    expect(created.User?.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(created.User?.CreateDate).toBeInstanceOf(Date);

    // Names are unique without regard to case.
    expect(await refusal(iam.send(new CreateUserCommand({ UserName: 'ALICE' })))).toEqual({
      code: 'EntityAlreadyExistsException',
      message: 'User with name ALICE already exists.',
      status: 409,
    });
    expect(await refusal(iam.send(new GetUserCommand({ UserName: 'nobody' })))).toEqual({
      code: 'NoSuchEntityException',
      message: 'The user with name nobody cannot be found.',
      status: 404,
    });
    // The model's pattern, applied by the wire layer.
    const bad = await refusal(iam.send(new CreateUserCommand({ UserName: 'has space' })));
    expect(bad.code).toBe('ValidationError');
    expect(bad.message).toBe(
      "1 validation error detected: Value 'has space' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\w+=,.@-]+$",
    );

    // A path begins and ends with a slash (the model's pattern, matched whole as AWS does).
    const path = await refusal(iam.send(new CreateUserCommand({ UserName: 'bob', Path: '/eng' })));
    expect(path.code).toBe('ValidationError');
    expect(path.message).toMatch(/^1 validation error detected: Value '\/eng' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: /);

    await iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'TEAM', Value: 'api' }, { Key: 'env', Value: 'dev' }] }));
    expect((await iam.send(new ListUserTagsCommand({ UserName: 'alice' }))).Tags).toEqual([
      { Key: 'team', Value: 'api' },
      { Key: 'env', Value: 'dev' },
    ]);
    const dup = await refusal(iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })));
    expect(dup).toMatchObject({ code: 'InvalidInputException', status: 400 });
    await iam.send(new UntagUserCommand({ UserName: 'alice', TagKeys: ['env'] }));
    const tagsPage = await iam.send(new ListUserTagsCommand({ UserName: 'alice', MaxItems: 1 }));
    expect(tagsPage).toMatchObject({ Tags: [{ Key: 'team', Value: 'api' }], IsTruncated: false });

    await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    await iam.send(new UpdateUserCommand({ UserName: 'alice', NewUserName: 'alicia', NewPath: '/ops/' }));
    const renamed = await iam.send(new GetUserCommand({ UserName: 'alicia' }));
    expect(renamed.User?.Arn).toBe('arn:aws:iam::123456789012:user/ops/alicia');
    expect(renamed.User?.UserId).toBe(created.User?.UserId);
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: 'alicia' }));
    expect(keys.AccessKeyMetadata).toHaveLength(1);
    expect(keys.AccessKeyMetadata?.[0]?.UserName).toBe('alicia');

    expect((await refusal(iam.send(new DeleteUserCommand({ UserName: 'alicia' })))).code).toBe('DeleteConflictException');
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'alicia', AccessKeyId: keys.AccessKeyMetadata![0]!.AccessKeyId! }));
    await iam.send(new DeleteUserCommand({ UserName: 'alicia' }));
    expect((await refusal(iam.send(new GetUserCommand({ UserName: 'alicia' })))).code).toBe('NoSuchEntityException');
  });

  it('ListUsers pages with Marker and MaxItems, filtered by PathPrefix', async () => {
    for (const n of ['p1', 'p2', 'p3', 'p4', 'p5']) await iam.send(new CreateUserCommand({ UserName: n, Path: '/paging/' }));
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await iam.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2, Marker: marker }));
      pages++;
      seen.push(...(page.Users ?? []).map((u) => u.UserName!));
      expect(page.IsTruncated).toBe(page.Marker !== undefined);
      marker = page.Marker;
    } while (marker);
    expect(seen).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(pages).toBe(3);
    // MaxItems is bounded by the model (1..1000).
    expect((await refusal(iam.send(new ListUsersCommand({ MaxItems: 1001 })))).code).toBe('ValidationError');
    const all = await iam.send(new ListUsersCommand({}));
    expect(all.Users?.map((u) => u.UserName)).toEqual(expect.arrayContaining(['test', 'readonly', 'p1']));
  });
});

describe('groups', () => {
  it('members, the 10-groups-per-user quota and delete conflicts', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'grace' }));
    for (let i = 1; i <= 10; i++) {
      await iam.send(new CreateGroupCommand({ GroupName: `g${i}` }));
      await iam.send(new AddUserToGroupCommand({ GroupName: `g${i}`, UserName: 'grace' }));
    }
    // Adding again changes nothing.
    await iam.send(new AddUserToGroupCommand({ GroupName: 'g1', UserName: 'grace' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'g11' }));
    expect(await refusal(iam.send(new AddUserToGroupCommand({ GroupName: 'g11', UserName: 'grace' })))).toEqual({
      code: 'LimitExceededException',
      message: 'Cannot exceed quota for GroupsPerUser: 10',
      status: 409,
    });
    const groups = await iam.send(new ListGroupsForUserCommand({ UserName: 'grace', MaxItems: 4 }));
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['g1', 'g2', 'g3', 'g4']);
    expect(groups.IsTruncated).toBe(true);

    const g1 = await iam.send(new GetGroupCommand({ GroupName: 'G1' }));
    expect(g1.Group).toMatchObject({ GroupName: 'g1', Arn: 'arn:aws:iam::123456789012:group/g1' });
    expect(g1.Group?.GroupId).toMatch(/^AGPA/);
    expect(g1.Users?.map((u) => u.UserName)).toEqual(['grace']);

    expect(await refusal(iam.send(new DeleteGroupCommand({ GroupName: 'g1' })))).toEqual({
      code: 'DeleteConflictException',
      message: 'Cannot delete entity, must remove users from group first.',
      status: 409,
    });
    expect(await refusal(iam.send(new DeleteUserCommand({ UserName: 'grace' })))).toMatchObject({ code: 'DeleteConflictException' });
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'g1', UserName: 'grace' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'g1' }));
    expect(await refusal(iam.send(new GetGroupCommand({ GroupName: 'g1' })))).toEqual({
      code: 'NoSuchEntityException',
      message: 'The group with name g1 cannot be found.',
      status: 404,
    });
  });
});

describe('roles', () => {
  const ecsTrust = trust({ Service: 'ecs-tasks.amazonaws.com' });

  it('create, read with the trust policy URL-encoded, update and delete', async () => {
    const created = await iam.send(
      new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: ecsTrust, Description: 'CI deploys', Tags: [{ Key: 'ci', Value: 'yes' }] }),
    );
    expect(created.Role).toMatchObject({ RoleName: 'deployer', Path: '/', MaxSessionDuration: 3600, Description: 'CI deploys' });
    expect(created.Role?.RoleId).toMatch(/^AROA/);
    const got = await iam.send(new GetRoleCommand({ RoleName: 'deployer' }));
    // IAM answers policy documents URL-encoded.
    expect(got.Role?.AssumeRolePolicyDocument).toContain('%7B%22Version%22%3A%222012-10-17%22');
    expect(JSON.parse(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!))).toEqual(JSON.parse(ecsTrust));
    expect(got.Role?.Tags).toEqual([{ Key: 'ci', Value: 'yes' }]);

    await iam.send(new UpdateRoleCommand({ RoleName: 'deployer', MaxSessionDuration: 7200 }));
    expect((await refusal(iam.send(new UpdateRoleCommand({ RoleName: 'deployer', MaxSessionDuration: 60 })))).code).toBe('ValidationError');
    const federated = trust({ AWS: 'arn:aws:iam::123456789012:user/test' });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'deployer', PolicyDocument: federated }));
    const after = (await iam.send(new GetRoleCommand({ RoleName: 'deployer' }))).Role!;
    expect(after.MaxSessionDuration).toBe(7200);
    expect(decodeURIComponent(after.AssumeRolePolicyDocument!)).toBe(federated);

    await iam.send(new TagRoleCommand({ RoleName: 'deployer', Tags: [{ Key: 'owner', Value: 'ops' }] }));
    await iam.send(new UntagRoleCommand({ RoleName: 'deployer', TagKeys: ['ci'] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'deployer' }))).Tags).toEqual([{ Key: 'owner', Value: 'ops' }]);
    const listed = await iam.send(new ListRolesCommand({}));
    expect(listed.Roles?.find((r) => r.RoleName === 'deployer')?.Tags).toBeUndefined();

    await iam.send(new PutRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'push', PolicyDocument: allow('ecr:PutImage') }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser' }));
    expect(await refusal(iam.send(new DeleteRoleCommand({ RoleName: 'deployer' })))).toEqual({
      code: 'DeleteConflictException',
      message: 'Cannot delete entity, must detach all policies first.',
      status: 409,
    });
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser' }));
    expect((await refusal(iam.send(new DeleteRoleCommand({ RoleName: 'deployer' })))).message).toBe('Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'push' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'deployer' }));
    expect(await refusal(iam.send(new GetRoleCommand({ RoleName: 'deployer' })))).toEqual({
      code: 'NoSuchEntityException',
      message: 'The role with name deployer cannot be found.',
      status: 404,
    });
  });

  it('refuses trust policies IAM refuses', async () => {
    const create = (d: string) => refusal(iam.send(new CreateRoleCommand({ RoleName: 'bad-trust', AssumeRolePolicyDocument: d })));
    expect(await create('{not json')).toEqual({ code: 'MalformedPolicyDocumentException', message: 'Syntax errors in policy.', status: 400 });
    expect((await create(doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }))).message).toBe(
      'Has prohibited field Resource.',
    );
    expect((await create(trust({ AWS: 'arn:aws:iam::123456789012:role/ghost' }))).message).toBe(
      'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/ghost"',
    );
    const long = trust({ Service: Array.from({ length: 120 }, (_, i) => `service-${i}.amazonaws.com`) });
    expect(await create(long)).toEqual({ code: 'LimitExceededException', message: 'Cannot exceed quota for ACLSizePerRole: 2048', status: 409 });
  });
});

describe('managed policies', () => {
  const policyArn = 'arn:aws:iam::123456789012:policy/team/ReadLogs';

  it('create, versions (at most 5), default version, delete', async () => {
    const created = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'ReadLogs', Path: '/team/', PolicyDocument: allow('s3:GetObject', 'arn:aws:s3:::logs/*'), Description: 'logs' }),
    );
    expect(created.Policy).toMatchObject({ Arn: policyArn, DefaultVersionId: 'v1', AttachmentCount: 0, IsAttachable: true, Path: '/team/' });
    expect(created.Policy?.PolicyId).toMatch(/^ANPA/);
    expect(await refusal(iam.send(new CreatePolicyCommand({ PolicyName: 'readlogs', PolicyDocument: allow('s3:GetObject') })))).toEqual({
      code: 'EntityAlreadyExistsException',
      message: 'A policy called readlogs already exists. Duplicate names are not allowed.',
      status: 409,
    });

    for (let i = 2; i <= 5; i++) {
      const v = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: allow(`s3:GetObject${'*'.repeat(i)}`), SetAsDefault: i === 3 }));
      expect(v.PolicyVersion).toMatchObject({ VersionId: `v${i}`, IsDefaultVersion: i === 3 });
    }
    expect(await refusal(iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: allow('s3:*') })))).toEqual({
      code: 'LimitExceededException',
      message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      status: 409,
    });
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy?.DefaultVersionId).toBe('v3');
    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn }));
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual(['v5', 'v4', 'v3', 'v2', 'v1']);

    expect(await refusal(iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v3' })))).toEqual({
      code: 'DeleteConflictException',
      message: 'Cannot delete the default version of a policy.',
      status: 409,
    });
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v2' }));
    // Numbers are not reused.
    const v6 = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: allow('s3:List*') }));
    expect(v6.PolicyVersion?.VersionId).toBe('v6');
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v6' }));
    const got = await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v6' }));
    expect(got.PolicyVersion?.IsDefaultVersion).toBe(true);
    expect(decodeURIComponent(got.PolicyVersion!.Document!)).toBe(allow('s3:List*'));
    expect((await refusal(iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v2' })))).code).toBe('NoSuchEntityException');

    await iam.send(new TagPolicyCommand({ PolicyArn: policyArn, Tags: [{ Key: 'team', Value: 'sre' }, { Key: 'tmp', Value: '1' }] }));
    await iam.send(new UntagPolicyCommand({ PolicyArn: policyArn, TagKeys: ['tmp'] }));
    expect((await iam.send(new ListPolicyTagsCommand({ PolicyArn: policyArn }))).Tags).toEqual([{ Key: 'team', Value: 'sre' }]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy?.Tags).toEqual([{ Key: 'team', Value: 'sre' }]);

    expect((await refusal(iam.send(new DeletePolicyCommand({ PolicyArn: policyArn })))).code).toBe('DeleteConflictException');
    for (const v of ['v1', 'v3', 'v4', 'v5']) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: v }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: policyArn }));
    expect(await refusal(iam.send(new GetPolicyCommand({ PolicyArn: policyArn })))).toEqual({
      code: 'NoSuchEntityException',
      message: `Policy ${policyArn} was not found.`,
      status: 404,
    });
  });

  it('refuses malformed and oversized documents', async () => {
    const create = (d: string) => refusal(iam.send(new CreatePolicyCommand({ PolicyName: 'Bad', PolicyDocument: d })));
    expect((await create(JSON.stringify({ Version: '2008-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }))).message).toBe(
      'Policy document must be version 2012-10-17 or greater.',
    );
    expect((await create(doc({ Effect: 'Allow', Action: 's3:GetObject' }))).message).toBe('Policy statement must contain resources.');
    expect((await create(doc({ Effect: 'Allow', Resource: '*' }))).message).toBe('Policy statement must contain actions.');
    expect((await create(doc({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }))).message).toBe(
      'Policy document should not specify a principal.',
    );
    expect((await create(doc({ Effect: 'Maybe', Action: 's3:*', Resource: '*' }))).message).toBe('Syntax errors in policy.');
    expect((await create(allow('GetObject'))).message).toBe('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    const big = allow(Array.from({ length: 400 }, (_, i) => `s3:GetObjectNumber${i}`));
    expect(await create(big)).toEqual({ code: 'LimitExceededException', message: 'Cannot exceed quota for PolicySize: 6144', status: 409 });
  });

  it('attachments: idempotent, at most 10 per user, listed, with ListEntitiesForPolicy', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'quinn' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'reader-role', AssumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }) }));
    const arns: string[] = [];
    for (let i = 1; i <= 11; i++) {
      const p = await iam.send(new CreatePolicyCommand({ PolicyName: `Quota${i}`, PolicyDocument: allow('s3:ListBucket') }));
      arns.push(p.Policy!.Arn!);
    }
    for (const arn of arns.slice(0, 10)) await iam.send(new AttachUserPolicyCommand({ UserName: 'quinn', PolicyArn: arn }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'quinn', PolicyArn: arns[0] }));
    expect(await refusal(iam.send(new AttachUserPolicyCommand({ UserName: 'quinn', PolicyArn: arns[10] })))).toEqual({
      code: 'LimitExceededException',
      message: 'Cannot exceed quota for PoliciesPerUser: 10',
      status: 409,
    });
    const page = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'quinn', MaxItems: 6 }));
    expect(page.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['Quota1', 'Quota2', 'Quota3', 'Quota4', 'Quota5', 'Quota6']);
    const rest = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'quinn', Marker: page.Marker }));
    expect(rest.AttachedPolicies).toHaveLength(4);
    expect(rest.IsTruncated).toBe(false);

    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: arns[0] }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'reader-role', PolicyArn: arns[0] }));
    expect((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'readers' }))).AttachedPolicies?.[0]?.PolicyArn).toBe(arns[0]);
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'reader-role' }))).AttachedPolicies).toHaveLength(1);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arns[0] }))).Policy?.AttachmentCount).toBe(3);
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arns[0] }));
    expect(entities.PolicyUsers?.map((u) => u.UserName)).toEqual(['quinn']);
    expect(entities.PolicyGroups?.map((g) => g.GroupName)).toEqual(['readers']);
    expect(entities.PolicyRoles?.map((r) => r.RoleName)).toEqual(['reader-role']);
    const onlyRoles = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arns[0], EntityFilter: 'Role' }));
    expect([onlyRoles.PolicyUsers, onlyRoles.PolicyGroups, onlyRoles.PolicyRoles?.length]).toEqual([[], [], 1]);

    expect(await refusal(iam.send(new DeletePolicyCommand({ PolicyArn: arns[0] })))).toEqual({
      code: 'DeleteConflictException',
      message: 'Cannot delete a policy attached to entities.',
      status: 409,
    });
    expect(await refusal(iam.send(new AttachUserPolicyCommand({ UserName: 'quinn', PolicyArn: 'arn:aws:iam::123456789012:policy/Nope' })))).toEqual({
      code: 'NoSuchEntityException',
      message: 'Policy arn:aws:iam::123456789012:policy/Nope does not exist or is not attachable.',
      status: 404,
    });
    expect(await refusal(iam.send(new AttachUserPolicyCommand({ UserName: 'ghost', PolicyArn: arns[0] })))).toMatchObject({
      message: 'The user with name ghost cannot be found.',
    });
    await iam.send(new DetachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: arns[0] }));
    expect(await refusal(iam.send(new DetachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: arns[0] })))).toEqual({
      code: 'NoSuchEntityException',
      message: `Policy ${arns[0]} was not found.`,
      status: 404,
    });
    await iam.send(new DetachUserPolicyCommand({ UserName: 'quinn', PolicyArn: arns[1] }));
    expect((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'quinn' }))).AttachedPolicies).toHaveLength(9);
  });

  it('carries AWS managed policies, which cannot be changed or deleted', async () => {
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 1000 }));
    expect(aws.Policies?.map((p) => p.PolicyName).sort()).toEqual([
      'AdministratorAccess',
      'AmazonEC2ContainerRegistryFullAccess',
      'AmazonEC2ContainerRegistryPowerUser',
      'AmazonEC2ContainerRegistryReadOnly',
      'AmazonElasticContainerRegistryPublicFullAccess',
      'AmazonS3FullAccess',
      'AmazonS3ReadOnlyAccess',
      'CloudFrontFullAccess',
      'CloudFrontReadOnlyAccess',
      'IAMReadOnlyAccess',
      'ReadOnlyAccess',
    ]);
    const ecr = await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' }));
    expect(ecr.Policy).toMatchObject({ DefaultVersionId: 'v3', Path: '/', IsAttachable: true });
    const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: ecr.Policy!.Arn, VersionId: 'v3' }));
    const parsed = JSON.parse(decodeURIComponent(v.PolicyVersion!.Document!)) as { Statement: { Action: string[] }[] };
    expect(parsed.Statement[0]?.Action).toContain('ecr:BatchGetImage');
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true }));
    expect(local.Policies?.every((p) => p.Arn?.startsWith('arn:aws:iam::123456789012:'))).toBe(true);

    const del = await refusal(iam.send(new DeletePolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })));
    expect(del).toMatchObject({ code: 'AccessDenied', status: 403 });
    const change = await refusal(
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', PolicyDocument: allow('s3:*') })),
    );
    expect(change.message).toContain('is not authorized to perform: iam:CreatePolicyVersion on resource: policy arn:aws:iam::aws:policy/AdministratorAccess');
  });
});

describe('permissions boundaries, renames and the account summary', () => {
  it('sets and clears boundaries, which then count as usage of the policy', async () => {
    const p = await iam.send(new CreatePolicyCommand({ PolicyName: 'Boundary', PolicyDocument: allow('s3:*') }));
    const arn = p.Policy!.Arn!;
    await iam.send(new CreateUserCommand({ UserName: 'bounded', PermissionsBoundary: arn }));
    expect((await iam.send(new GetUserCommand({ UserName: 'bounded' }))).User?.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: arn,
    });
    await iam.send(new CreateRoleCommand({ RoleName: 'bounded-role', AssumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }) }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'bounded-role', PermissionsBoundary: arn }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy).toMatchObject({ AttachmentCount: 0, PermissionsBoundaryUsageCount: 2 });
    const usage = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, PolicyUsageFilter: 'PermissionsBoundary' }));
    expect([usage.PolicyUsers?.map((u) => u.UserName), usage.PolicyRoles?.map((r) => r.RoleName)]).toEqual([['bounded'], ['bounded-role']]);
    expect((await refusal(iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).message).toBe('Cannot delete a policy attached to entities.');
    expect(
      await refusal(iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded', PermissionsBoundary: 'arn:aws:iam::123456789012:policy/None' }))),
    ).toEqual({ code: 'NoSuchEntityException', message: 'Scope ARN: arn:aws:iam::123456789012:policy/None does not exist or is not attachable.', status: 404 });
    await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'bounded' }));
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'bounded-role' }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'bounded-role' }))).Role?.PermissionsBoundary).toBeUndefined();
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
  });

  it('UpdateGroup renames a group with its members and policies; UpdateRoleDescription answers the role', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'old-name' }));
    await iam.send(new CreateUserCommand({ UserName: 'member' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'old-name', UserName: 'member' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'old-name', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    await iam.send(new UpdateGroupCommand({ GroupName: 'old-name', NewGroupName: 'new-name', NewPath: '/teams/' }));
    const g = await iam.send(new GetGroupCommand({ GroupName: 'new-name' }));
    expect(g.Group?.Arn).toBe('arn:aws:iam::123456789012:group/teams/new-name');
    expect(g.Users?.map((u) => u.UserName)).toEqual(['member']);
    expect((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'new-name' }))).AttachedPolicies).toHaveLength(1);
    expect((await refusal(iam.send(new GetGroupCommand({ GroupName: 'old-name' })))).code).toBe('NoSuchEntityException');

    await iam.send(new CreateRoleCommand({ RoleName: 'described', AssumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }) }));
    const r = await iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'described', Description: 'now described' }));
    expect(r.Role).toMatchObject({ RoleName: 'described', Description: 'now described' });
  });

  it('GetAccountSummary counts entities beside the quotas', async () => {
    const users = (await iam.send(new ListUsersCommand({ MaxItems: 1000 }))).Users!.length;
    const summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    expect(summary).toMatchObject({ Users: users, AccessKeysPerUserQuota: 2, AttachedPoliciesPerUserQuota: 10, VersionsPerPolicyQuota: 5, PolicySizeQuota: 6144 });
  });
});

describe('inline policies', () => {
  it('put, get (URL-encoded), list, delete, and the 2,048-character aggregate of a user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'ivy' }));
    const d = allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::ivy/*');
    await iam.send(new PutUserPolicyCommand({ UserName: 'ivy', PolicyName: 'objects', PolicyDocument: d }));
    const got = await iam.send(new GetUserPolicyCommand({ UserName: 'IVY', PolicyName: 'objects' }));
    expect(got).toMatchObject({ UserName: 'ivy', PolicyName: 'objects' });
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(d);
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'ivy' }))).PolicyNames).toEqual(['objects']);

    // 1,900 characters here plus the first policy go over the user's 2,048.
    const big = allow(Array.from({ length: 90 }, (_, i) => `s3:GetObjectVersion${String(i).padStart(2, '0')}`));
    expect(await refusal(iam.send(new PutUserPolicyCommand({ UserName: 'ivy', PolicyName: 'big', PolicyDocument: big })))).toEqual({
      code: 'LimitExceededException',
      message: 'Maximum policy size of 2048 bytes exceeded for user ivy',
      status: 409,
    });
    // A role has 10,240.
    await iam.send(new CreateRoleCommand({ RoleName: 'ivy-role', AssumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'ivy-role', PolicyName: 'big', PolicyDocument: big }));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'ivy-role' }))).PolicyNames).toEqual(['big']);
    expect(decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: 'ivy-role', PolicyName: 'big' }))).PolicyDocument!)).toBe(big);

    await iam.send(new DeleteUserPolicyCommand({ UserName: 'ivy', PolicyName: 'objects' }));
    expect(await refusal(iam.send(new GetUserPolicyCommand({ UserName: 'ivy', PolicyName: 'objects' })))).toEqual({
      code: 'NoSuchEntityException',
      message: 'The user policy with name objects cannot be found.',
      status: 404,
    });
  });
});

describe('access keys', () => {
  it('AKIA ids and 40-character secrets, two per user, status, last used, delete', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'kim' }));
    const a = await iam.send(new CreateAccessKeyCommand({ UserName: 'kim' }));
    expect(a.AccessKey?.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(a.AccessKey?.SecretAccessKey).toHaveLength(40);
    expect(a.AccessKey).toMatchObject({ UserName: 'kim', Status: 'Active' });
    await iam.send(new CreateAccessKeyCommand({ UserName: 'kim' }));
    expect(await refusal(iam.send(new CreateAccessKeyCommand({ UserName: 'kim' })))).toEqual({
      code: 'LimitExceededException',
      message: 'Cannot exceed quota for AccessKeysPerUser: 2',
      status: 409,
    });
    const id = a.AccessKey!.AccessKeyId!;
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'kim', AccessKeyId: id, Status: 'Inactive' }));
    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'kim' }));
    expect(listed.AccessKeyMetadata?.find((k) => k.AccessKeyId === id)?.Status).toBe('Inactive');
    expect(listed.AccessKeyMetadata?.every((k) => !('SecretAccessKey' in k))).toBe(true);

    const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id }));
    expect(used).toMatchObject({ UserName: 'kim', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
    expect(used.AccessKeyLastUsed?.LastUsedDate).toBeUndefined();

    // A key of another user is not found under this one.
    expect(await refusal(iam.send(new DeleteAccessKeyCommand({ UserName: 'test', AccessKeyId: id })))).toEqual({
      code: 'NoSuchEntityException',
      message: `The Access Key with id ${id} cannot be found.`,
      status: 404,
    });
    // The model's 16-character minimum holds for input, so the demo key ids cannot be named here.
    expect((await refusal(iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'test' })))).code).toBe('ValidationError');
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'kim', AccessKeyId: id }));
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'kim' }))).AccessKeyMetadata).toHaveLength(1);
  });
});

describe('OpenID Connect providers', () => {
  const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

  it('create, get, client ids, thumbprints, tags, list and delete', async () => {
    const created = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: 'https://token.actions.githubusercontent.com',
        ClientIDList: ['sts.amazonaws.com'],
        ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
        Tags: [{ Key: 'ci', Value: 'github' }],
      }),
    );
    expect(created.OpenIDConnectProviderArn).toBe(arn);
    expect(await refusal(iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com' })))).toEqual({
      code: 'EntityAlreadyExistsException',
      message: 'Provider with url https://token.actions.githubusercontent.com already exists.',
      status: 409,
    });
    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'berth' }));
    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'berth' }));
    await iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'sts.amazonaws.com' }));
    await iam.send(
      new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: ['1c58a3a8518e8759bf075b76b750d4f2df264fcd'] }),
    );
    await iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, Tags: [{ Key: 'env', Value: 'prod' }] }));
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(got).toMatchObject({
      Url: 'token.actions.githubusercontent.com',
      ClientIDList: ['berth'],
      ThumbprintList: ['1c58a3a8518e8759bf075b76b750d4f2df264fcd'],
      Tags: [{ Key: 'ci', Value: 'github' }, { Key: 'env', Value: 'prod' }],
    });
    expect(got.CreateDate).toBeInstanceOf(Date);
    expect((await iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: arn }))).Tags).toHaveLength(2);
    expect((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList).toEqual([{ Arn: arn }]);
    // A thumbprint is exactly 40 characters (the model).
    const short = await refusal(iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: ['abc'] })));
    expect(short.code).toBe('ValidationError');

    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(await refusal(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })))).toEqual({
      code: 'NoSuchEntityException',
      message: `OpenIDConnect Provider not found for arn ${arn}`,
      status: 404,
    });
    // Deleting one that is not there succeeds (the call is idempotent).
    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
  });
});

describe('account', () => {
  it('GetAccountAuthorizationDetails lists each kind with its policies, filters and pages', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'audit-user' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'audit-group' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'audit-group', UserName: 'audit-user' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'audit-user', PolicyName: 'inline', PolicyDocument: allow('s3:ListAllMyBuckets') }));

    const users = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User'], MaxItems: 1000 }));
    expect(users.GroupDetailList).toEqual([]);
    expect(users.RoleDetailList).toEqual([]);
    expect(users.Policies).toEqual([]);
    const audit = users.UserDetailList?.find((u) => u.UserName === 'audit-user');
    expect(audit).toMatchObject({ GroupList: ['audit-group'], UserPolicyList: [{ PolicyName: 'inline' }], AttachedManagedPolicies: [] });
    expect(decodeURIComponent(audit!.UserPolicyList![0]!.PolicyDocument!)).toBe(allow('s3:ListAllMyBuckets'));
    const testUser = users.UserDetailList?.find((u) => u.UserName === 'test');
    expect(testUser?.AttachedManagedPolicies).toEqual([{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);

    // AWS managed policies appear when in use, with their versions.
    const awsPolicies = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['AWSManagedPolicy'] }));
    const admin = awsPolicies.Policies?.find((p) => p.PolicyName === 'AdministratorAccess');
    expect(admin?.PolicyVersionList?.[0]).toMatchObject({ VersionId: 'v1', IsDefaultVersion: true });
    expect(awsPolicies.Policies?.some((p) => p.PolicyName === 'AmazonElasticContainerRegistryPublicFullAccess')).toBe(false);

    // Paging runs across the kinds.
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'Group'], MaxItems: 3, Marker: marker }));
      names.push(...(page.UserDetailList ?? []).map((u) => `user:${u.UserName}`), ...(page.GroupDetailList ?? []).map((g) => `group:${g.GroupName}`));
      marker = page.Marker;
    } while (marker);
    const whole = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'Group'], MaxItems: 1000 }));
    expect(whole.IsTruncated).toBe(false);
    expect(names).toEqual([...(whole.UserDetailList ?? []).map((u) => `user:${u.UserName}`), ...(whole.GroupDetailList ?? []).map((g) => `group:${g.GroupName}`)]);
    expect(names).toContain('group:audit-group');
  });

  it('ListAccountAliases is empty; an operation the emulator lacks answers NotImplemented', async () => {
    expect(await iam.send(new ListAccountAliasesCommand({}))).toMatchObject({ AccountAliases: [], IsTruncated: false });
    const { ListSAMLProvidersCommand } = await import('@aws-sdk/client-iam');
    const r = await refusal(iam.send(new ListSAMLProvidersCommand({})));
    expect(r).toMatchObject({ code: 'NotImplemented', status: 501 });
  });
});

describe('on the wire', () => {
  const form = (body: string) =>
    rawRequest(emu.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', Authorization: sigV4For('iam') },
      body,
    });

  it('answers an operation without output with only its response metadata, as IAM does', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'wire-group' }));
    const res = await form('Action=AddUserToGroup&Version=2010-05-08&GroupName=wire-group&UserName=test');
    expect(res.status).toBe(200);
    expect(res.body).toMatch(
      /^<AddUserToGroupResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><ResponseMetadata><RequestId>[^<]+<\/RequestId><\/ResponseMetadata><\/AddUserToGroupResponse>$/,
    );
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'wire-group', UserName: 'test' }));
  });

  it('answers errors in the query protocol shape with IAM code and status', async () => {
    const res = await form('Action=GetRole&Version=2010-05-08&RoleName=absent');
    expect(res.status).toBe(404);
    expect(res.body).toContain('<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">');
    expect(res.body).toContain('<Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name absent cannot be found.</Message></Error>');
    const unknown = await form('Action=FlyToTheMoon&Version=2010-05-08');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('<Code>InvalidAction</Code>');
  });
});
