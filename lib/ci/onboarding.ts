import 'server-only';
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateAccessKeyCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListOpenIDConnectProvidersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { dialectOf, getDb, serialized } from '@/lib/db';
import { iamClient } from '@/lib/aws/clients';
import { missingActionFrom, Refusal } from '@/lib/aws/errors';
import { getCallerIdentity } from '@/lib/aws/identity';
import { readDocument } from '@/lib/iam/documents';
import {
  GITHUB_OIDC_HOST,
  GITHUB_OIDC_URL,
  KEY_SECRETS,
  permissionsPolicy,
  policyNameFor,
  roleCommands,
  sameTrust,
  STS_AUDIENCE,
  trustPolicy,
  userCommands,
  workflowYaml,
  type AccountScope,
  type CiTarget,
  type GithubScope,
  type ManualPlan,
} from './documents';

// The IAM side of "push from CI": GitHub's OpenID Connect provider (once per
// account), a role only one repository's branch may assume, its inline
// policy; or, as a fallback, an IAM user with the same policy and an access key.
//
// IAM's creates are not idempotent: CreateRole, CreateUser and
// CreateOpenIDConnectProvider answer EntityAlreadyExists for a name (or URL)
// that is taken. Each such answer is read back and either reused (it is what
// Berth would have made) or refused by name, so running this twice, or from
// two tabs at once, makes each thing once. Within one Berth process the steps
// for one name also run one at a time, so two tabs never race to a second
// access key.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html

/** A refusal about what already exists in IAM, said so the admin can choose another name. */
export class CiRefusal extends Refusal {}

export interface Made {
  /** e.g. "the role github-web-ecr-push-web". */
  what: string;
  how: 'created' | 'reused' | 'updated';
}

/** Berth may not change IAM: what was done, which permission was missing, and the commands that do the rest. */
export interface ManualFallback {
  missingPermission: string;
  made: Made[];
  plan: ManualPlan;
}

export type RoleOutcome =
  | { status: 'done'; roleArn: string; providerArn: string; policyName: string; made: Made[]; workflow: string }
  | ({ status: 'manual'; roleArn: string; workflow: string } & ManualFallback);

export type UserOutcome =
  | {
      status: 'done';
      userName: string;
      policyName: string;
      made: Made[];
      /** Shown once in the browser that asked, never stored or logged by Berth. */
      accessKey: { id: string; secret: string };
      secrets: { name: string; value: string }[];
      workflow: string;
    }
  | ({ status: 'manual'; workflow: string } & ManualFallback);

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException']);

function codeOf(error: unknown): string | undefined {
  const e = error as { name?: string; Code?: string };
  return e?.Code ?? e?.name;
}

function isDenied(error: unknown): boolean {
  return ACCESS_DENIED.has(codeOf(error) ?? '');
}

function isTaken(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'EntityAlreadyExists' || code === 'EntityAlreadyExistsException';
}

/** Thrown by a step IAM refused for lack of permission: caught once, turned into the manual fallback. */
class Denied extends Error {
  constructor(readonly permission: string) {
    super(`missing ${permission}`);
  }
}

/** Runs one IAM call; an access-denied answer becomes Denied naming the permission (AWS's words first). */
async function step<T>(permission: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isDenied(error)) throw new Denied(missingActionFrom((error as Error).message) ?? permission);
    throw error;
  }
}

// One at a time per key: the second tab's (or the second instance's) request
// waits for the first's to finish, then finds what it made, so a user never
// gets two access keys from two clicks. In this process a chain per key. Across
// instances, which share Berth's database only on PostgreSQL (README), an
// advisory lock in it (lib/db serialized()), held for the few IAM calls of one
// setup. SQLite serves one instance, whose chain is enough; its write lock is
// not taken, since it would hold up every other request's database reads.
const chains = new Map<string, Promise<unknown>>();

async function acrossInstances<T>(key: string, work: () => Promise<T>): Promise<T> {
  const db = await getDb();
  return dialectOf(db) === 'postgres' ? serialized(db, `ci:${key}`, () => work()) : work();
}

async function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = chains.get(key) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(() => acrossInstances(key, work));
  chains.set(key, run);
  try {
    return await run;
  } finally {
    if (chains.get(key) === run) chains.delete(key);
  }
}

async function account(): Promise<AccountScope> {
  const id = await getCallerIdentity();
  return { partition: id.partition, account: id.account };
}

/** GitHub's provider in this account, if there is one, with the audiences it accepts. */
export async function findGithubProvider(): Promise<{ arn: string; audiences: string[] } | null> {
  const iam = iamClient();
  const listed = await step('iam:ListOpenIDConnectProviders', () => iam.send(new ListOpenIDConnectProvidersCommand({})));
  // IAM names the provider after its URL without the scheme, so the ARN ends in the host.
  const arn = listed.OpenIDConnectProviderList?.map((p) => p.Arn ?? '').find((a) => a.endsWith(`:oidc-provider/${GITHUB_OIDC_HOST}`));
  if (!arn) return null;
  const got = await step('iam:GetOpenIDConnectProvider', () => iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })));
  return { arn, audiences: got.ClientIDList ?? [] };
}

/**
 * The provider, made when missing. No thumbprint is sent: IAM verifies
 * GitHub's certificate against its own trusted CAs and no longer needs one.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
 */
async function ensureGithubProvider(made: Made[]): Promise<string> {
  return oneAtATime('oidc-provider', async () => {
    const iam = iamClient();
    const found = await findGithubProvider();
    if (found) {
      if (!found.audiences.includes(STS_AUDIENCE)) {
        await step('iam:AddClientIDToOpenIDConnectProvider', () =>
          iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: found.arn, ClientID: STS_AUDIENCE })),
        );
        made.push({ what: `the audience ${STS_AUDIENCE} on GitHub's OpenID Connect provider`, how: 'updated' });
      } else {
        made.push({ what: `GitHub's OpenID Connect provider`, how: 'reused' });
      }
      return found.arn;
    }
    try {
      const out = await step('iam:CreateOpenIDConnectProvider', () =>
        iam.send(new CreateOpenIDConnectProviderCommand({ Url: GITHUB_OIDC_URL, ClientIDList: [STS_AUDIENCE] })),
      );
      made.push({ what: `GitHub's OpenID Connect provider (${GITHUB_OIDC_HOST})`, how: 'created' });
      return out.OpenIDConnectProviderArn!;
    } catch (error) {
      if (!isTaken(error)) throw error;
      // Made meanwhile by someone else (another Berth, the AWS console): use it.
      const again = await findGithubProvider();
      if (!again) throw error;
      made.push({ what: `GitHub's OpenID Connect provider`, how: 'reused' });
      return again.arn;
    }
  });
}

function describe(target: CiTarget, scope?: GithubScope): string {
  const what = target.kind === 'ecr' ? `push to ECR repository ${target.repository} (${target.region})` : `deploy to bucket ${target.bucket} and invalidate CloudFront ${target.distributionId}`;
  const who = scope ? ` from GitHub ${scope.owner}/${scope.repo}${/^[\x20-\x7e]*$/.test(scope.branch) ? ` branch ${scope.branch}` : ''}` : '';
  // IAM's description pattern is printable ASCII and Latin-1; every part above is checked ASCII.
  return `Made by Berth: ${what}${who}.`.slice(0, 1000);
}

async function ensureRole(roleName: string, trust: ReturnType<typeof trustPolicy>, description: string, made: Made[]): Promise<string> {
  const iam = iamClient();
  try {
    const out = await step('iam:CreateRole', () =>
      iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust), Description: description })),
    );
    made.push({ what: `the role ${roleName}`, how: 'created' });
    return out.Role!.Arn!;
  } catch (error) {
    if (!isTaken(error)) throw error;
    const got = await step('iam:GetRole', () => iam.send(new GetRoleCommand({ RoleName: roleName })));
    if (!sameTrust(readDocument(got.Role?.AssumeRolePolicyDocument).json, trust)) {
      throw new CiRefusal(
        `A role named ${got.Role?.RoleName ?? roleName} already exists, and it trusts something other than this GitHub repository and branch. Berth leaves it as it is: choose another role name.`,
        { roleName: ['A role with this name already exists with a different trust policy.'] },
      );
    }
    made.push({ what: `the role ${got.Role?.RoleName ?? roleName} (it already trusted this repository and branch)`, how: 'reused' });
    return got.Role!.Arn!;
  }
}

/**
 * The OIDC route: provider, role, inline policy. On AccessDenied from IAM it
 * stops and answers the manual fallback instead: what was done, the missing
 * permission, and the documents and commands for the rest.
 */
export async function setUpCiRole(target: CiTarget, scope: GithubScope, roleName: string): Promise<RoleOutcome> {
  const acct = await account();
  const policyName = policyNameFor(target);
  const trust = trustPolicy(acct, scope);
  const expectedArn = `arn:${acct.partition}:iam::${acct.account}:role/${roleName}`;
  const made: Made[] = [];
  let providerReady = false;
  try {
    return await oneAtATime(`role:${roleName.toLowerCase()}`, async () => {
      const providerArn = await ensureGithubProvider(made);
      providerReady = true;
      const roleArn = await ensureRole(roleName, trust, describe(target, scope), made);
      // PutRolePolicy replaces a policy of the same name: running it again is harmless.
      await step('iam:PutRolePolicy', () =>
        iamClient().send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: JSON.stringify(permissionsPolicy(target, acct.partition)) })),
      );
      made.push({ what: `the role's inline policy ${policyName}`, how: 'updated' });
      return { status: 'done' as const, roleArn, providerArn, policyName, made, workflow: workflowYaml(target, scope, { kind: 'role', roleArn }) };
    });
  } catch (error) {
    if (!(error instanceof Denied)) throw error;
    return {
      status: 'manual',
      roleArn: expectedArn,
      missingPermission: error.permission,
      made,
      plan: roleCommands(acct, scope, target, { roleName, policyName }, { providerExists: providerReady }),
      workflow: workflowYaml(target, scope, { kind: 'role', roleArn: expectedArn }),
    };
  }
}

/** The tag Berth puts on a fallback user, so a user of the same name made for something else is never handed a key. */
export const CI_USER_TAG = 'berth:ci-for';

function targetLabel(target: CiTarget): string {
  return target.kind === 'ecr' ? `ecr:${target.region}/${target.repository}` : `site:${target.distributionId}`;
}

async function ensureUser(userName: string, target: CiTarget, made: Made[]): Promise<void> {
  const iam = iamClient();
  const label = targetLabel(target);
  try {
    await step('iam:CreateUser', () => iam.send(new CreateUserCommand({ UserName: userName, Tags: [{ Key: CI_USER_TAG, Value: label }] })));
    made.push({ what: `the user ${userName}`, how: 'created' });
  } catch (error) {
    if (!isTaken(error)) throw error;
    const got = await step('iam:GetUser', () => iam.send(new GetUserCommand({ UserName: userName })));
    const tag = got.User?.Tags?.find((t) => t.Key === CI_USER_TAG)?.Value;
    if (tag !== label) {
      throw new CiRefusal(`A user named ${got.User?.UserName ?? userName} already exists and Berth did not make it for this. Berth leaves it as it is: choose another user name.`, {
        userName: ['A user with this name already exists.'],
      });
    }
    made.push({ what: `the user ${got.User?.UserName ?? userName}`, how: 'reused' });
  }
}

/**
 * The fallback: a user with the same least-privilege policy and one access
 * key. The secret is in the answer and nowhere else; a user that already has
 * a key gets no second one from Berth (it could not show the first again).
 */
export async function setUpCiUser(target: CiTarget, scope: GithubScope, userName: string): Promise<UserOutcome> {
  const acct = await account();
  const policyName = policyNameFor(target);
  const made: Made[] = [];
  const workflow = workflowYaml(target, scope, { kind: 'key' });
  try {
    return await oneAtATime(`user:${userName.toLowerCase()}`, async () => {
      const iam = iamClient();
      await ensureUser(userName, target, made);
      await step('iam:PutUserPolicy', () =>
        iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: policyName, PolicyDocument: JSON.stringify(permissionsPolicy(target, acct.partition)) })),
      );
      made.push({ what: `the user's inline policy ${policyName}`, how: 'updated' });
      const keys = await step('iam:ListAccessKeys', () => iam.send(new ListAccessKeysCommand({ UserName: userName })));
      const existing = keys.AccessKeyMetadata?.[0];
      if (existing) {
        throw new CiRefusal(
          `The user ${userName} already has an access key (${existing.AccessKeyId}). Berth shows a secret only once, when it makes the key, so it makes no second one: put that key's secret in GitHub, or delete the key in IAM and try again.`,
        );
      }
      const key = await step('iam:CreateAccessKey', () => iam.send(new CreateAccessKeyCommand({ UserName: userName })));
      made.push({ what: `an access key for ${userName}`, how: 'created' });
      const id = key.AccessKey!.AccessKeyId!;
      const secret = key.AccessKey!.SecretAccessKey!;
      return {
        status: 'done' as const,
        userName,
        policyName,
        made,
        accessKey: { id, secret },
        secrets: [
          { name: KEY_SECRETS.id, value: id },
          { name: KEY_SECRETS.secret, value: secret },
        ],
        workflow,
      };
    });
  } catch (error) {
    if (!(error instanceof Denied)) throw error;
    return { status: 'manual', missingPermission: error.permission, made, plan: userCommands(acct, target, { userName, policyName }), workflow };
  }
}

/** "Created the role x and its inline policy y; reused GitHub's provider." */
export function summary(made: Made[]): string {
  const by = (how: Made['how']) => made.filter((m) => m.how === how).map((m) => m.what);
  const list = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);
  const parts = [
    by('created').length ? `created ${list(by('created'))}` : '',
    by('updated').length ? `set ${list(by('updated'))}` : '',
    by('reused').length ? `reused ${list(by('reused'))}` : '',
  ].filter(Boolean);
  if (!parts.length) return 'Berth changed nothing.';
  return `Berth ${list(parts)}.`;
}

