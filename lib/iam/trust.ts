// A role's trust policy (who may assume it) in words. Pure: it reads the
// decoded JSON document and writes sentences; unit-tested case by case.
//
// Each statement becomes one sentence: who (its principals, with the
// conditions that say *which* of them, such as a GitHub repository and
// branch), may or may not, do what (assume the role, tag the session), when
// (the remaining conditions). What is risky gets a warning: a role open to
// every AWS account, an OIDC provider whose tokens anyone can get, a wildcard
// that StringEquals compares literally, a principal that was deleted.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html
// https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services

export interface TrustContext {
  /** Berth's own account id: principals in it are said to be in "this account". */
  account?: string;
}

export interface TrustStatementInWords {
  effect: 'Allow' | 'Deny';
  sid: string | null;
  /** The whole statement as one sentence, ending with a full stop. */
  sentence: string;
  /** Short labels of who it names, for a list column ("ECS tasks", "GitHub: acme/api"). */
  who: string[];
  /** What deserves a second look, as sentences. */
  warnings: string[];
}

export interface TrustInWords {
  statements: TrustStatementInWords[];
  /** Set when the document could not be read at all. */
  problem: string | null;
}

type Values = string[];
/** operator → key → values, with operators and keys as the document wrote them. */
type Conditions = Record<string, Record<string, Values>>;

interface Statement {
  effect: 'Allow' | 'Deny';
  sid: string | null;
  principal: Record<string, Values> | '*' | null;
  notPrincipal: boolean;
  actions: Values;
  notAction: boolean;
  conditions: Conditions;
}

const WEB_IDENTITY = 'sts:assumerolewithwebidentity';
const SAML = 'sts:assumerolewithsaml';

// ---------------------------------------------------------------- reading

function list(v: unknown): Values {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
}

function readStatement(raw: unknown): Statement | null {
  if (!raw || typeof raw !== 'object') return null;
  const s = raw as Record<string, unknown>;
  const principalRaw = s.Principal ?? s.NotPrincipal;
  let principal: Statement['principal'] = null;
  if (principalRaw === '*') principal = '*';
  else if (principalRaw && typeof principalRaw === 'object') {
    principal = Object.fromEntries(Object.entries(principalRaw as Record<string, unknown>).map(([k, v]) => [k, list(v)]));
  }
  const conditions: Conditions = {};
  if (s.Condition && typeof s.Condition === 'object') {
    for (const [op, block] of Object.entries(s.Condition as Record<string, unknown>)) {
      if (!block || typeof block !== 'object') continue;
      conditions[op] = Object.fromEntries(Object.entries(block as Record<string, unknown>).map(([k, v]) => [k, list(v)]));
    }
  }
  return {
    effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    sid: typeof s.Sid === 'string' && s.Sid ? s.Sid : null,
    principal,
    notPrincipal: s.Principal === undefined && s.NotPrincipal !== undefined,
    actions: list(s.Action ?? s.NotAction),
    notAction: s.Action === undefined && s.NotAction !== undefined,
    conditions,
  };
}

/** Takes (and removes) the condition on `key` (case-insensitive) under one of `operators`, if there is one. */
function take(conditions: Conditions, key: string, operators: (op: string) => boolean): { op: string; values: Values } | null {
  for (const [op, block] of Object.entries(conditions)) {
    if (!operators(op)) continue;
    for (const k of Object.keys(block)) {
      if (k.toLowerCase() !== key.toLowerCase()) continue;
      const values = block[k]!;
      delete block[k];
      if (Object.keys(block).length === 0) delete conditions[op];
      return { op, values };
    }
  }
  return null;
}

const base = (op: string) => op.replace(/^(ForAnyValue|ForAllValues):/i, '').replace(/IfExists$/i, '');
const isEquals = (op: string) => /^String(Equals|EqualsIgnoreCase)$/i.test(base(op));
const isLike = (op: string) => /^StringLike$/i.test(base(op));
const isPositive = (op: string) => isEquals(op) || isLike(op);
const hasWildcard = (v: string) => /[*?]/.test(v);

// ---------------------------------------------------------------- words

/** “a”, “a” or “b”, “a”, “b” or “c”. */
function either(values: string[], quote = true, word = 'or'): string {
  const q = values.map((v) => (quote ? `“${v}”` : v));
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} ${word} ${q.at(-1)}`;
}

function joinAnd(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

function capitalise(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

function inAccount(account: string, ctx: TrustContext): string {
  return account === ctx.account ? `this account (${account})` : `account ${account}`;
}

// Service principals people meet in trust policies, as the thing that assumes the role.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_aws-services-that-work-with-iam.html
const SERVICES: Record<string, string> = {
  'ecs-tasks.amazonaws.com': 'ECS tasks',
  'ecs.amazonaws.com': 'the ECS service',
  'ec2.amazonaws.com': 'EC2 instances',
  'lambda.amazonaws.com': 'Lambda functions',
  'edgelambda.amazonaws.com': 'Lambda@Edge functions',
  'eks.amazonaws.com': 'the EKS service',
  'pods.eks.amazonaws.com': 'EKS pods (EKS Pod Identity)',
  'codebuild.amazonaws.com': 'CodeBuild projects',
  'codepipeline.amazonaws.com': 'CodePipeline pipelines',
  'codedeploy.amazonaws.com': 'CodeDeploy',
  'states.amazonaws.com': 'Step Functions state machines',
  'events.amazonaws.com': 'EventBridge rules',
  'scheduler.amazonaws.com': 'EventBridge Scheduler',
  'apigateway.amazonaws.com': 'API Gateway',
  'cloudformation.amazonaws.com': 'CloudFormation',
  'batch.amazonaws.com': 'AWS Batch',
  'glue.amazonaws.com': 'AWS Glue',
  'sagemaker.amazonaws.com': 'SageMaker',
  'firehose.amazonaws.com': 'Amazon Data Firehose',
  'backup.amazonaws.com': 'AWS Backup',
  's3.amazonaws.com': 'the S3 service',
  'cloudfront.amazonaws.com': 'the CloudFront service',
  'monitoring.rds.amazonaws.com': 'RDS Enhanced Monitoring',
  'rds.amazonaws.com': 'the RDS service',
  'ssm.amazonaws.com': 'Systems Manager',
  'elasticmapreduce.amazonaws.com': 'Amazon EMR',
  'tasks.apprunner.amazonaws.com': 'App Runner services',
  'build.apprunner.amazonaws.com': 'App Runner builds',
  'transfer.amazonaws.com': 'AWS Transfer Family',
  'export.rds.amazonaws.com': 'RDS snapshot exports',
};

const WEB_PROVIDERS: Record<string, string> = {
  'accounts.google.com': 'Google',
  'graph.facebook.com': 'Facebook',
  'www.amazon.com': 'Login with Amazon',
};

interface ArnParts {
  partition: string;
  service: string;
  account: string;
  resource: string;
}

function parseArn(arn: string): ArnParts | null {
  const m = /^arn:([^:]+):([^:]*):[^:]*:([^:]*):(.+)$/.exec(arn);
  return m ? { partition: m[1]!, service: m[2]!, account: m[3]!, resource: m[4]! } : null;
}

/** One principal that needs no conditions to be said. */
interface Subject {
  /** As the subject of a sentence: "ECS tasks", "anyone in account 1… with permission". */
  phrase: string;
  /** For a list column. */
  short: string;
  warnings: string[];
}

function awsSubject(value: string, ctx: TrustContext): Subject {
  if (value === '*') {
    return { phrase: 'any AWS identity in any account', short: 'Any AWS account', warnings: [] };
  }
  if (/^\d{12}$/.test(value)) {
    return { phrase: `anyone in ${inAccount(value, ctx)} with permission`, short: `Account ${value}`, warnings: [] };
  }
  // IAM replaces a deleted principal's ARN with its unique id when the policy is next read.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
  if (/^A[A-Z0-9]{15,127}$/.test(value)) {
    const kind = value.startsWith('AIDA') ? 'IAM user' : value.startsWith('AROA') ? 'IAM role' : 'principal';
    return {
      phrase: `a deleted ${kind} (IAM shows its unique id ${value})`,
      short: 'Deleted principal',
      warnings: [`A principal of this statement was deleted: IAM now shows its unique id ${value}. No one matches it, not even a new ${kind} of the same name; remove it from the policy.`],
    };
  }
  const arn = parseArn(value);
  if (!arn) return { phrase: `the principal “${value}”`, short: value, warnings: [] };
  const { account, resource } = arn;
  const last = (r: string) => r.split('/').at(-1) ?? r;
  if (arn.service === 'iam' && resource === 'root') {
    return { phrase: `anyone in ${inAccount(account, ctx)} with permission`, short: `Account ${account}`, warnings: [] };
  }
  if (arn.service === 'iam' && resource.startsWith('user/')) {
    return { phrase: `the IAM user ${last(resource)} in ${inAccount(account, ctx)}`, short: `User ${last(resource)}`, warnings: [] };
  }
  if (arn.service === 'iam' && resource.startsWith('role/')) {
    return { phrase: `sessions of the role ${last(resource)} in ${inAccount(account, ctx)}`, short: `Role ${last(resource)}`, warnings: [] };
  }
  if (arn.service === 'sts' && resource.startsWith('assumed-role/')) {
    const [, role, session] = resource.split('/');
    return { phrase: `the session ${session ?? '?'} of the role ${role ?? '?'} in ${inAccount(account, ctx)}`, short: `Session ${session ?? '?'} of ${role ?? '?'}`, warnings: [] };
  }
  if (arn.service === 'sts' && resource.startsWith('federated-user/')) {
    return { phrase: `the federated user ${last(resource)} in ${inAccount(account, ctx)}`, short: `Federated user ${last(resource)}`, warnings: [] };
  }
  return { phrase: `the principal ${value}`, short: value, warnings: [] };
}

function serviceSubject(value: string): Subject {
  const host = value.replace(/\.cn$/, '');
  const known = SERVICES[host];
  return known ? { phrase: known, short: capitalise(known), warnings: [] } : { phrase: `the AWS service ${value}`, short: value, warnings: [] };
}

// ------------------------------------------------------- federated principals

/** How a GitHub Actions token's sub names where the run comes from. */
function githubRef(rest: string): string {
  const wild = (what: string, plural: string, v: string) => (v === '*' ? `on any ${what}` : hasWildcard(v) ? `on ${plural} matching ${v}` : `on ${what} ${v}`);
  let m = /^ref:refs\/heads\/(.+)$/.exec(rest);
  if (m) return wild('branch', 'branches', m[1]!);
  m = /^ref:refs\/tags\/(.+)$/.exec(rest);
  if (m) return wild('tag', 'tags', m[1]!);
  m = /^environment:(.+)$/.exec(rest);
  if (m) return m[1] === '*' ? 'in any environment' : hasWildcard(m[1]!) ? `in environments matching ${m[1]}` : `in environment ${m[1]}`;
  if (rest === 'pull_request') return 'for pull requests';
  if (rest === '*') return 'on any branch, tag, environment or pull request';
  return `with “${rest}”`;
}

interface Described {
  phrase: string;
  short: string;
  warnings: string[];
}

function githubSubject(provider: string, conditions: Conditions, effect: 'Allow' | 'Deny'): Described {
  const warnings: string[] = [];
  const sub = take(conditions, `${provider}:sub`, isPositive);
  const aud = take(conditions, `${provider}:aud`, isPositive);
  const audPart = aud && !(aud.values.length === 1 && aud.values[0] === 'sts.amazonaws.com') ? ` with audience ${either(aud.values)}` : '';
  if (!sub) {
    if (effect === 'Allow') {
      warnings.push(
        `Nothing limits which repository: any GitHub Actions workflow, in any repository of any owner, can get a token from ${provider}. Add a condition on ${provider}:sub naming your repositories.`,
      );
    }
    return { phrase: `any GitHub Actions run of any repository${audPart}`, short: 'GitHub: any repository', warnings };
  }
  if (isEquals(sub.op) && sub.values.some(hasWildcard)) {
    warnings.push(
      `${sub.op} compares ${either(sub.values.filter(hasWildcard))} literally, so the * and ? in it are not wildcards and no GitHub run matches it. Use StringLike for patterns.`,
    );
  }
  // Group the refs by repository, so one repository on two branches reads as one phrase.
  const byRepo = new Map<string, string[]>();
  const others: string[] = [];
  for (const v of sub.values) {
    const m = /^repo:([^/:]+)\/([^:]+)(?::(.*))?$/.exec(v);
    if (!m) {
      others.push(v);
      continue;
    }
    const [, owner, repo, rest] = m;
    const repoLabel = repo === '*' ? `any repository of ${owner}` : hasWildcard(repo!) ? `repositories matching ${owner}/${repo}` : `repository ${owner}/${repo}`;
    const refs = byRepo.get(repoLabel) ?? [];
    // "repo:acme/*" has no ref part: every run of those repositories.
    refs.push(githubRef(rest ?? '*'));
    byRepo.set(repoLabel, refs);
  }
  const parts = [...byRepo].map(([repo, refs]) => `of ${repo} ${either([...new Set(refs)], false)}`);
  if (others.includes('*')) {
    if (effect === 'Allow') warnings.push(`The subject condition allows “*”: any GitHub Actions run of any repository can assume this role.`);
  }
  for (const o of others) parts.push(`whose token subject is ${o.includes('*') ? 'like ' : ''}“${o}”`);
  const shortRepos = [...byRepo.keys()].map((r) => r.replace(/^repository /, '').replace(/^any repository of (.+)$/, '$1/*').replace(/^repositories matching /, ''));
  return {
    phrase: `GitHub Actions runs ${parts.join(', or ')}${audPart}`,
    short: `GitHub: ${shortRepos.length ? shortRepos.join(', ') : 'custom subject'}`,
    warnings,
  };
}

function gitlabSubject(provider: string, conditions: Conditions, effect: 'Allow' | 'Deny'): Described {
  const sub = take(conditions, `${provider}:sub`, isPositive);
  take(conditions, `${provider}:aud`, isPositive);
  if (!sub) {
    return {
      phrase: 'any GitLab CI/CD job of any project',
      short: 'GitLab: any project',
      warnings: effect === 'Allow' ? [`Nothing limits which project: any GitLab.com CI/CD job can get a token from ${provider}. Add a condition on ${provider}:sub.`] : [],
    };
  }
  // https://docs.gitlab.com/ci/cloud_services/aws/
  const parts = sub.values.map((v) => {
    const m = /^project_path:([^:]+)(?::ref_type:(branch|tag):ref:(.+))?$/.exec(v);
    if (!m) return `whose token subject is “${v}”`;
    const [, project, type, ref] = m;
    const on = !type ? '' : ref === '*' ? ` on any ${type}` : hasWildcard(ref!) ? ` on ${type === 'branch' ? 'branches' : 'tags'} matching ${ref}` : ` on ${type} ${ref}`;
    return `of project ${project}${on}`;
  });
  const projects = sub.values.map((v) => /^project_path:([^:]+)/.exec(v)?.[1]).filter(Boolean);
  return { phrase: `GitLab CI/CD jobs ${parts.join(', or ')}`, short: `GitLab: ${projects.join(', ') || 'custom subject'}`, warnings: [] };
}

function eksSubject(provider: string, conditions: Conditions, effect: 'Allow' | 'Deny'): Described {
  const sub = take(conditions, `${provider}:sub`, isPositive);
  take(conditions, `${provider}:aud`, isPositive);
  if (!sub) {
    return {
      phrase: 'any Kubernetes service account of the EKS cluster',
      short: 'EKS: any service account',
      warnings: effect === 'Allow' ? [`Nothing limits which service account: every pod of the cluster can assume this role. Add a condition on ${provider}:sub.`] : [],
    };
  }
  // https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
  const names: string[] = [];
  const parts = sub.values.map((v) => {
    const m = /^system:serviceaccount:([^:]+):(.+)$/.exec(v);
    if (!m) return `whose token subject is “${v}”`;
    const [, ns, sa] = m;
    names.push(`${ns}/${sa}`);
    if (sa === '*') return `any Kubernetes service account in namespace ${ns}`;
    return `the Kubernetes service account ${sa} in namespace ${ns}`;
  });
  return { phrase: `${parts.join(' or ')} of the EKS cluster`, short: `EKS: ${names.join(', ') || 'custom subject'}`, warnings: [] };
}

function genericOidcSubject(provider: string, conditions: Conditions, effect: 'Allow' | 'Deny'): Described {
  const sub = take(conditions, `${provider}:sub`, isPositive);
  const warnings: string[] = [];
  if (!sub && effect === 'Allow' && !Object.values(conditions).some((b) => Object.keys(b).some((k) => k.toLowerCase().startsWith(`${provider.toLowerCase()}:`)))) {
    warnings.push(`No condition on the token's claims: anyone who can get a token from ${provider} may assume this role.`);
  }
  const who = sub ? ` whose subject (sub) ${isLike(sub.op) ? 'matches' : 'is'} ${either(sub.values)}` : '';
  return { phrase: `holders of a token${who}`, short: `OIDC: ${provider}`, warnings };
}

function cognitoSubject(conditions: Conditions, effect: 'Allow' | 'Deny'): Described {
  const pool = take(conditions, 'cognito-identity.amazonaws.com:aud', isPositive);
  const amr = take(conditions, 'cognito-identity.amazonaws.com:amr', isPositive);
  const kind = amr?.values.length === 1 && amr.values[0] === 'authenticated' ? 'signed-in users' : amr?.values.length === 1 && amr.values[0] === 'unauthenticated' ? 'guest users' : 'users';
  if (!pool) {
    return {
      phrase: `${kind} of any Amazon Cognito identity pool`,
      short: 'Cognito: any pool',
      warnings: effect === 'Allow' ? ['Nothing limits which identity pool: add a condition on cognito-identity.amazonaws.com:aud naming yours.'] : [],
    };
  }
  return { phrase: `${kind} of the Amazon Cognito identity pool ${either(pool.values, false)}`, short: `Cognito: ${pool.values.join(', ')}`, warnings: [] };
}

/** A Federated principal, with the conditions that say which of its users. */
function federatedSubject(value: string, conditions: Conditions, effect: 'Allow' | 'Deny', ctx: TrustContext): Described & { via?: string } {
  const arn = parseArn(value);
  if (arn?.service === 'iam' && arn.resource.startsWith('oidc-provider/')) {
    const provider = arn.resource.slice('oidc-provider/'.length);
    const via = `the OIDC provider ${provider}${arn.account && arn.account !== ctx.account ? ` of account ${arn.account}` : ''}`;
    if (provider === 'token.actions.githubusercontent.com' || provider.startsWith('token.actions.githubusercontent.com/')) {
      return { ...githubSubject(provider, conditions, effect), via };
    }
    if (provider === 'gitlab.com') return { ...gitlabSubject(provider, conditions, effect), via };
    if (/^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\//.test(provider)) return { ...eksSubject(provider, conditions, effect), via };
    return { ...genericOidcSubject(provider, conditions, effect), via };
  }
  if (arn?.service === 'iam' && arn.resource.startsWith('saml-provider/')) {
    const name = arn.resource.slice('saml-provider/'.length);
    const aud = take(conditions, 'SAML:aud', isPositive);
    const console = aud?.values.some((v) => /signin\.aws\.amazon\.com\/saml/.test(v));
    return { phrase: `people signed in through the SAML identity provider ${name}${console ? ' (to the AWS console)' : ''}`, short: `SAML: ${name}`, warnings: [] };
  }
  if (value === 'cognito-identity.amazonaws.com') return cognitoSubject(conditions, effect);
  const web = WEB_PROVIDERS[value];
  if (web) {
    const app = take(conditions, `${value}:aud`, isPositive) ?? take(conditions, `${value}:app_id`, isPositive);
    return { phrase: `people signed in with ${web}${app ? ` to the app ${either(app.values, false)}` : ''}`, short: web, warnings: [] };
  }
  return { phrase: `users of the identity provider ${value}`, short: value, warnings: [] };
}

// ------------------------------------------------------------- conditions

// Keys that have a name in words. Lower-case keys; tags and claims are matched by prefix below.
const KEY_WORDS: Record<string, string> = {
  'sts:externalid': 'the external ID',
  'sts:rolesessionname': 'the session name',
  'sts:sourceidentity': 'the source identity',
  'aws:sourceip': "the caller's IP address",
  'aws:sourcevpc': 'the VPC',
  'aws:sourcevpce': 'the VPC endpoint',
  'aws:principalorgid': "the caller's AWS organization",
  'aws:principalorgpaths': "the caller's organization path",
  'aws:principalaccount': "the caller's account",
  'aws:principalarn': "the caller's ARN",
  'aws:principaltype': "the caller's type",
  'aws:principalservicename': 'the calling service',
  'aws:sourceaccount': 'the account the service acts for',
  'aws:sourcearn': 'the resource the service acts for',
  'aws:sourceorgid': 'the organization the service acts for',
  'aws:currenttime': 'the time',
  'aws:epochtime': 'the time (epoch seconds)',
  'aws:multifactorauthage': 'the time since the caller last used MFA (seconds)',
  'aws:useragent': "the caller's user agent",
  'aws:requestedregion': 'the region called',
  'aws:calledvia': 'the service the call came through',
  'saml:aud': 'the SAML audience',
  'saml:sub': 'the SAML subject',
  'saml:iss': 'the SAML issuer',
};

function keyWords(key: string): string {
  const k = key.toLowerCase();
  if (KEY_WORDS[k]) return KEY_WORDS[k];
  let m = /^aws:principaltag\/(.+)$/i.exec(key);
  if (m) return `the caller's tag “${m[1]}”`;
  m = /^aws:requesttag\/(.+)$/i.exec(key);
  if (m) return `the session tag “${m[1]}”`;
  if (/^aws:tagkeys$/i.test(key)) return 'the session tag keys';
  // An OIDC provider's claims: "<provider>:<claim>".
  m = /^(.+\.[a-z]{2,}(?:\/[^:]*)?):([a-z_]+)$/i.exec(key);
  if (m) return m[2] === 'sub' ? "the token's subject (sub)" : m[2] === 'aud' ? "the token's audience (aud)" : `the token's “${m[2]}” claim`;
  return `“${key}”`;
}

function seconds(n: number): string {
  if (n % 3600 === 0) return `${n / 3600} h`;
  if (n % 60 === 0) return `${n / 60} min`;
  return `${n} s`;
}

/** One condition (operator, key, values) as a clause that can follow "when". */
function clause(op: string, key: string, values: Values): { text: string; warning?: string } {
  const any = /^ForAnyValue:/i.test(op);
  const all = /^ForAllValues:/i.test(op);
  const ifExists = /IfExists$/i.test(op);
  const b = base(op);
  const k = key.toLowerCase();
  const tail = ifExists ? ', if it is present' : '';
  const subject = (any ? 'any of ' : all ? 'each of ' : '') + keyWords(key);

  // The common ones said as people say them.
  if (k === 'aws:multifactorauthpresent' && /^Bool$/i.test(b) && values.length === 1) {
    return { text: values[0] === 'true' ? 'the caller signed in with MFA' : `the caller did not sign in with MFA${ifExists ? ' (or says nothing about MFA)' : ''}` };
  }
  if (k === 'aws:securetransport' && /^Bool$/i.test(b) && values.length === 1) {
    return { text: values[0] === 'true' ? 'the request uses HTTPS' : 'the request does not use HTTPS' };
  }
  if (k === 'aws:multifactorauthage' && /^NumericLessThan(Equals)?$/i.test(b) && values.length === 1 && /^\d+$/.test(values[0]!)) {
    return { text: `the caller used MFA within the last ${seconds(Number(values[0]))}` };
  }

  let text: string;
  let warning: string | undefined;
  switch (b.toLowerCase()) {
    case 'stringequals':
    case 'stringequalsignorecase':
    case 'arnequals':
    case 'binaryequals':
      text = `${subject} is ${either(values)}`;
      if (/^string/i.test(b) && values.some(hasWildcard)) {
        warning = `${op} compares ${either(values.filter(hasWildcard))} literally: * and ? are not wildcards there. Use StringLike for patterns.`;
      }
      break;
    case 'stringnotequals':
    case 'stringnotequalsignorecase':
    case 'arnnotequals':
      text = values.length > 1 ? `${subject} is neither ${either(values, true, 'nor')}` : `${subject} is not ${either(values)}`;
      break;
    case 'stringlike':
    case 'arnlike':
      text = `${subject} matches ${either(values)}`;
      break;
    case 'stringnotlike':
    case 'arnnotlike':
      text = `${subject} matches none of ${either(values, true, 'and')}`;
      if (values.length === 1) text = `${subject} does not match ${either(values)}`;
      break;
    case 'numericequals':
      text = `${subject} is ${either(values, false)}`;
      break;
    case 'numericnotequals':
      text = `${subject} is not ${either(values, false)}`;
      break;
    case 'numericlessthan':
      text = `${subject} is less than ${either(values, false)}`;
      break;
    case 'numericlessthanequals':
      text = `${subject} is at most ${either(values, false)}`;
      break;
    case 'numericgreaterthan':
      text = `${subject} is more than ${either(values, false)}`;
      break;
    case 'numericgreaterthanequals':
      text = `${subject} is at least ${either(values, false)}`;
      break;
    case 'dateequals':
      text = `${subject} is ${either(values, false)}`;
      break;
    case 'datenotequals':
      text = `${subject} is not ${either(values, false)}`;
      break;
    case 'datelessthan':
      text = `${subject} is before ${either(values, false)}`;
      break;
    case 'datelessthanequals':
      text = `${subject} is at or before ${either(values, false)}`;
      break;
    case 'dategreaterthan':
      text = `${subject} is after ${either(values, false)}`;
      break;
    case 'dategreaterthanequals':
      text = `${subject} is at or after ${either(values, false)}`;
      break;
    case 'bool':
      text = `${subject} is ${either(values, false)}`;
      break;
    case 'ipaddress':
      text = `${subject} is in ${either(values, false)}`;
      break;
    case 'notipaddress':
      text = values.length > 1 ? `${subject} is in none of ${either(values, false, 'and')}` : `${subject} is not in ${either(values, false)}`;
      break;
    case 'null':
      text = values.length === 1 && values[0] === 'true' ? `${subject} is absent` : values.length === 1 && values[0] === 'false' ? `${subject} is present` : `${subject} is null: ${either(values, false)}`;
      return { text };
    default:
      text = `${subject} ${op} ${either(values)}`;
  }
  return { text: text + tail, warning };
}

// ---------------------------------------------------------------- actions

function verbOf(actions: Values, notAction: boolean): { verb: string; assumes: { plain: boolean; web: boolean; saml: boolean } } {
  const acts = actions.map((a) => a.toLowerCase());
  const matches = (name: string) => acts.some((a) => new RegExp(`^${a.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(name));
  if (notAction) {
    return { verb: `do anything to this role except ${either(actions, false)}`, assumes: { plain: !matches('sts:assumerole'), web: !matches(WEB_IDENTITY), saml: !matches(SAML) } };
  }
  const assumes = { plain: matches('sts:assumerole'), web: matches(WEB_IDENTITY), saml: matches(SAML) };
  const extras: string[] = [];
  if (matches('sts:tagsession')) extras.push('tag the session');
  if (matches('sts:setsourceidentity')) extras.push('set a source identity');
  if (matches('sts:setcontext')) extras.push('set a context');
  const assume = assumes.plain || assumes.web || assumes.saml;
  if (assume) return { verb: `assume this role${extras.length ? ` (and ${joinAnd(extras)})` : ''}`, assumes };
  if (extras.length) return { verb: `${joinAnd(extras)} when assuming this role`, assumes };
  return { verb: actions.length ? `call ${either(actions, false)} on this role` : 'do nothing with this role (the statement names no action)', assumes };
}

// --------------------------------------------------------------- the whole

// Conditions that say which callers of a "*" principal are meant: with one of
// them an Allow to everyone is not open to the world.
const LIMITS_CALLERS = ['aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount', 'aws:principalarn', 'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:principalservicename'];

function describeStatement(st: Statement, ctx: TrustContext): TrustStatementInWords {
  const conditions: Conditions = JSON.parse(JSON.stringify(st.conditions)) as Conditions;
  const subjects: Described[] = [];
  const vias: string[] = [];
  const warnings: string[] = [];
  const deny = st.effect === 'Deny';
  const principal = st.principal;
  let anyone = false;

  if (principal === '*' || (principal && principal.AWS?.includes('*'))) anyone = true;
  if (principal && principal !== '*') {
    for (const [kind, values] of Object.entries(principal)) {
      for (const v of values) {
        if (kind === 'AWS' && v === '*') continue;
        if (kind === 'AWS') subjects.push(awsSubject(v, ctx));
        else if (kind === 'Service') subjects.push(serviceSubject(v));
        else if (kind === 'Federated') {
          const f = federatedSubject(v, conditions, st.effect, ctx);
          subjects.push(f);
          if (f.via) vias.push(f.via);
        } else if (kind === 'CanonicalUser') subjects.push({ phrase: `the S3 canonical user ${v}`, short: 'Canonical user', warnings: [] });
        else subjects.push({ phrase: `the ${kind} principal ${v}`, short: v, warnings: [] });
      }
    }
  }
  if (anyone) {
    // "*" with a condition on the caller's organization or account is a common, safe shape: say it as that.
    const org = take(conditions, 'aws:PrincipalOrgID', isEquals);
    const account = org ? null : take(conditions, 'aws:PrincipalAccount', isEquals);
    if (org) subjects.unshift({ phrase: `anyone in the AWS organization ${either(org.values, false)} with permission`, short: `Organization ${org.values.join(', ')}`, warnings: [] });
    else if (account) subjects.unshift({ phrase: `anyone in ${either(account.values.map((a) => inAccount(a, ctx)), false)} with permission`, short: `Account ${account.values.join(', ')}`, warnings: [] });
    else {
      const limited = Object.values(conditions).some((b) => Object.keys(b).some((k) => LIMITS_CALLERS.includes(k.toLowerCase())));
      subjects.unshift({ phrase: deny ? 'no one' : 'any AWS identity in any account', short: 'Any AWS account', warnings: [] });
      if (!deny && !limited) {
        warnings.push('Open to every AWS account: anyone who knows this role’s ARN can assume it, unless a condition limits who. Name the accounts or the organization instead of "*".');
      }
    }
  }
  for (const s of subjects) warnings.push(...s.warnings);

  const { verb, assumes } = verbOf(st.actions, st.notAction);
  const federatedKinds = principal && principal !== '*' ? principal.Federated ?? [] : [];
  if (!deny && !st.notAction && federatedKinds.length) {
    const saml = federatedKinds.some((f) => f.includes(':saml-provider/'));
    const web = federatedKinds.some((f) => !f.includes(':saml-provider/'));
    if (web && !assumes.web) warnings.push('Tokens from an identity provider are exchanged with sts:AssumeRoleWithWebIdentity, which this statement does not allow: no one can use it this way.');
    if (saml && !assumes.saml) warnings.push('SAML sign-ins use sts:AssumeRoleWithSAML, which this statement does not allow: no one can use it this way.');
  }

  const clauses: string[] = [];
  for (const [op, block] of Object.entries(conditions)) {
    for (const [key, values] of Object.entries(block)) {
      const c = clause(op, key, values);
      clauses.push(c.text);
      if (c.warning) warnings.push(c.warning);
    }
  }

  let who = subjects.length ? joinAnd(subjects.map((s) => s.phrase)) : 'no principal';
  if (st.notPrincipal) who = `everyone except ${who}`;
  const via = vias.length ? `, through ${joinAnd([...new Set(vias)])},` : '';
  // "No one" is already negative: "No one may assume this role when …".
  const may = deny && who !== 'no one' ? 'may not' : 'may';
  const when = clauses.length ? ` when ${clauses.join(' and ')}` : '';
  let sentence = `${capitalise(who)}${via} ${may} ${verb}${when}.`;
  if (!subjects.length) sentence = `This statement names no principal, so it lets no one ${verb}.`;
  return { effect: st.effect, sid: st.sid, sentence, who: deny ? [] : subjects.map((s) => s.short), warnings };
}

/** The trust policy (already decoded JSON, or its text) in words. */
export function describeTrust(document: unknown, ctx: TrustContext = {}): TrustInWords {
  let doc = document;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return { statements: [], problem: 'The trust policy is not valid JSON.' };
    }
  }
  if (!doc || typeof doc !== 'object') return { statements: [], problem: 'The role has no trust policy.' };
  const raw = (doc as { Statement?: unknown }).Statement;
  const statements = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(readStatement);
  if (statements.length === 0) return { statements: [], problem: 'The trust policy has no statements, so no one may assume this role.' };
  return {
    statements: statements.map((s) =>
      s ? describeStatement(s, ctx) : { effect: 'Allow' as const, sid: null, sentence: 'A statement that is not an object, which IAM would refuse.', who: [], warnings: [] },
    ),
    problem: null,
  };
}

/** Who a role trusts, as short labels for a list (its Allow statements only). */
export function trustedBy(words: TrustInWords): string[] {
  return [...new Set(words.statements.filter((s) => s.effect === 'Allow').flatMap((s) => s.who))];
}
