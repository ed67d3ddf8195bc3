import Link from 'next/link';
import { Alert } from '@/components/ui/alert';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { FilterInput } from '@/components/ui/filter-input';
import { Freshness } from '@/components/ui/freshness';
import { Pagination } from '@/components/ui/pagination';
import { Table, Td, Th } from '@/components/ui/table';
import { endpointFor } from '@/lib/aws/clients';
import { attempt, type AwsProblem } from '@/lib/aws/errors';
import { currentPartition, getCallerIdentity } from '@/lib/aws/identity';
import { readTags } from '@/lib/aws/read-cache-tags';
import { getRepositoryPolicy } from '@/lib/ecr/policies';
import { iamRead, readAuthorization } from '@/lib/iam/authorization';
import { accessPaths } from '@/lib/iam/paths';
import { verdictSentence, verdictText, type CapabilityVerdict, type VerdictState } from '@/lib/iam/verdicts';
import { WHO_CAN_PAGE, whoCanView, type NamedStatement, type WhoCanRow } from '@/lib/iam/who-can';
import { ecrTarget, s3Target, type WhoCanTarget } from '@/lib/iam/who-can-actions';
import { readBucketPolicy } from '@/lib/s3/properties';
import { pageNumber, param, withParams, type SearchParams } from '@/lib/ui/url';

// The "Who can" tab of a repository or bucket page: a server component, so
// its only client JavaScript is the shell's filter box and Refresh. Verdicts
// come from IAM's policy simulator (lib/iam/who-can.ts); each badge says its
// verdict in words, so colour is never the only signal.

export type WhoCanSubject = { kind: 'ecr'; region: string; repository: string } | { kind: 's3'; bucket: string };

const TONES: Record<VerdictState, 'green' | 'amber' | 'red' | 'neutral'> = { allowed: 'green', partial: 'amber', denied: 'red', 'not-allowed': 'neutral', unknown: 'neutral' };

const noun = (s: WhoCanSubject) => (s.kind === 'ecr' ? 'repository' : 'bucket');

/** A refusal for want of a permission, said as which permission and what it would show, not as an error. */
function MissingPermission({ action, what }: { action: string; what: string }) {
  return (
    <Alert tone="info" title={`Berth may not call ${action}`}>
      <p>
        Berth’s AWS identity is not allowed to call <code className="font-mono">{action}</code>, so it cannot {what}. Add the action to Berth’s IAM policy (the{' '}
        <code className="font-mono">{STATEMENT_OF[action]}</code> statement of <code className="font-mono">docs/iam-policy.json</code>) to see it here.
      </p>
    </Alert>
  );
}

/** Where each action this panel needs sits in docs/iam-policy.json. */
const STATEMENT_OF: Record<string, string> = {
  'iam:GetAccountAuthorizationDetails': 'AccessSectionReadOnly',
  'iam:SimulatePrincipalPolicy': 'AccessExplainReadOnly',
  'ecr:GetRepositoryPolicy': 'EcrBrowseAndManage',
  's3:GetBucketPolicy': 'S3BrowseAndManage',
};

const permissionMissing = (p: AwsProblem) => p.title === 'Permission missing';

async function resourcePolicy(subject: WhoCanSubject) {
  return subject.kind === 'ecr'
    ? attempt(() => getRepositoryPolicy(subject.region, subject.repository), { service: 'ECR', endpoint: endpointFor('ECR', subject.region), action: 'ecr:GetRepositoryPolicy' })
    : attempt(() => readBucketPolicy(subject.bucket), { service: 'S3', action: 's3:GetBucketPolicy' });
}

async function targetOf(subject: WhoCanSubject): Promise<WhoCanTarget> {
  const partition = await currentPartition();
  if (subject.kind === 's3') return s3Target(partition, subject.bucket);
  return ecrTarget(partition, subject.region, (await getCallerIdentity()).account, subject.repository);
}

export async function WhoCanPanel({ subject, sp, path }: { subject: WhoCanSubject; sp: SearchParams; path: string }) {
  const [snapshot, policy, target] = await Promise.all([
    attempt(readAuthorization, iamRead('iam:GetAccountAuthorizationDetails')),
    resourcePolicy(subject),
    attempt(() => targetOf(subject), { service: 'STS', action: 'sts:GetCallerIdentity' }),
  ]);
  if (!snapshot.ok) {
    return (
      <Card className="p-5">
        {permissionMissing(snapshot.problem) ? (
          <MissingPermission action="iam:GetAccountAuthorizationDetails" what={`list the account’s users and roles to say who may use this ${noun(subject)}`} />
        ) : (
          <AwsProblemAlert problem={snapshot.problem} />
        )}
      </Card>
    );
  }
  if (!target.ok) return <Card className="p-5"><AwsProblemAlert problem={target.problem} /></Card>;

  const q = param(sp, 'who') ?? '';
  const services = param(sp, 'services') === 'show';
  const view = await whoCanView(snapshot.value, target.value, policy.ok ? policy.value : null, { q, page: pageNumber(sp, Number.MAX_SAFE_INTEGER), services });
  const simulated = view.rows.filter((r) => r.result.ok).length;
  const refusal = view.rows.find((r) => !r.result.ok)?.result;
  const simulationRefused = simulated === 0 && refusal && !refusal.ok && permissionMissing(refusal.problem);
  const policyName = subject.kind === 'ecr' ? 'repository policy' : 'bucket policy';
  const capabilities = target.value.capabilities;

  return (
    <Card data-testid="who-can">
      <div className="flex flex-wrap items-center justify-between gap-4 border-b border-zinc-100 px-5 py-3 dark:border-zinc-800">
        <FilterInput placeholder="Filter users and roles by name" param="who" />
        {services || view.serviceRoles ? (
          <Link href={withParams(path, sp, { services: services ? null : 'show', page: null })} className="text-sm text-brand-700 hover:underline dark:text-brand-300" scroll={false}>
            {services ? 'Fold service roles away' : `Show service roles (${view.serviceRoles})`}
          </Link>
        ) : null}
      </div>
      <div className="space-y-2 px-5 pt-4 text-sm text-zinc-600 dark:text-zinc-400">
        <p data-testid="who-can-summary">
          {summary(view, q, services)}
        </p>
        {!policy.ok ? (
          permissionMissing(policy.problem) ? (
            <MissingPermission action={subject.kind === 'ecr' ? 'ecr:GetRepositoryPolicy' : 's3:GetBucketPolicy'} what={`read the ${policyName}; the verdicts below weigh identity policies only`} />
          ) : (
            <AwsProblemAlert problem={policy.problem} />
          )
        ) : policy.value === null ? (
          <p>This {noun(subject)} has no {policyName}: only identity policies grant access to it.</p>
        ) : (
          <p>The {policyName} is weighed with each user’s own policies. For roles IAM’s simulator weighs identity policies only (it takes only a user as the caller a resource policy is matched against).</p>
        )}
      </div>
      {simulationRefused ? (
        <div className="p-5">
          <MissingPermission action="iam:SimulatePrincipalPolicy" what={`work out what each user and role may do to this ${noun(subject)}`} />
        </div>
      ) : view.rows.length === 0 ? (
        <EmptyState title={q ? `No user or role matches “${q}”` : 'No users or roles to show'}>
          {q ? 'Clear the filter to see them all.' : view.serviceRoles ? 'Only service roles: show them above.' : 'This account has no IAM users or roles.'}
        </EmptyState>
      ) : (
        <div className="pt-3">
          <Table>
            <thead>
              <tr>
                <Th>User or role</Th>
                {capabilities.map((c) => (
                  <Th key={c.id}>{c.label}</Th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.rows.map((row) => (
                <Row key={row.principal.arn} row={row} subject={subject} columns={capabilities.length} />
              ))}
            </tbody>
          </Table>
        </div>
      )}
      <p className="px-5 pt-3 text-xs text-zinc-500 dark:text-zinc-400">
        Each user or role shown costs {subject.kind === 'ecr' ? 'one' : 'two'} IAM <code className="font-mono">SimulatePrincipalPolicy</code> call{subject.kind === 'ecr' ? '' : 's'} (at most 4 at a time), shared for the read cache’s time; Refresh asks again.
        Actions: {capabilities.map((c) => `${c.label.toLowerCase()} = ${c.actions.map((a) => a.name).join(' + ')}`).join('; ')}.
      </p>
      <Freshness className="justify-end px-5 py-2" readAt={view.readAt} tags={[readTags.iamAuthorization()]} />
      {view.pages > 1 ? <Pagination path={path} sp={sp} page={view.page} pages={view.pages} total={view.matching} pageSize={WHO_CAN_PAGE} noun="users and roles" /> : null}
    </Card>
  );
}

function summary(view: Awaited<ReturnType<typeof whoCanView>>, q: string, services: boolean): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const from = (view.page - 1) * WHO_CAN_PAGE + 1;
  const to = Math.min(view.matching, view.page * WHO_CAN_PAGE);
  const parts: string[] = [];
  if (view.matching === 0) parts.push(`None of the account’s ${n(view.total)} users and roles is listed${q ? ` under “${q}”` : ''}.`);
  else if (view.matching > WHO_CAN_PAGE) parts.push(`Showing ${n(from)}–${n(to)} of ${n(view.matching)} users and roles${q ? ` matching “${q}”` : ''} (${n(view.total)} in the account), ${WHO_CAN_PAGE} a page: filter by name to find one.`);
  else parts.push(`${n(view.matching)} ${view.matching === 1 ? 'user or role' : 'users and roles'}${q ? ` matching “${q}”` : ''} of ${n(view.total)} in the account.`);
  if (!services && view.serviceRoles) parts.push(`${n(view.serviceRoles)} service role${view.serviceRoles === 1 ? '' : 's'} (assumed only by AWS services) folded away.`);
  return parts.join(' ');
}

function Row({ row, subject, columns }: { row: WhoCanRow; subject: WhoCanSubject; columns: number }) {
  const p = row.principal;
  const href = p.kind === 'user' ? accessPaths.user(p.name) : accessPaths.role(p.name);
  return (
    <tr data-testid={`who-${p.kind}-${p.name}`}>
      <Td className="align-top">
        <Link href={href} className="font-medium whitespace-nowrap text-brand-700 hover:underline dark:text-brand-300">{p.name}</Link>
        <div className="mt-0.5 flex flex-wrap items-center gap-1 text-xs text-zinc-500 dark:text-zinc-400">
          <span>{p.kind === 'user' ? 'User' : p.service ? 'Service role' : 'Role'}</span>
          {p.trustedBy.length ? <span>· assumed by {p.trustedBy.slice(0, 2).join(', ')}{p.trustedBy.length > 2 ? '…' : ''}</span> : null}
        </div>
        {row.result.ok && !row.result.resourcePolicyWeighed ? (
          <p className="mt-0.5 text-xs text-amber-700 dark:text-amber-400">{subject.kind === 'ecr' ? 'Repository' : 'Bucket'} policy not weighed (role)</p>
        ) : null}
      </Td>
      {row.result.ok ? (
        row.result.verdicts.map((v) => <VerdictCell key={v.id} verdict={v} principal={p.name} />)
      ) : (
        <td colSpan={columns} className="align-top text-xs text-red-700 dark:text-red-400" data-testid={`who-problem-${p.name}`}>
          {row.result.problem.message}
        </td>
      )}
    </tr>
  );
}

function statementWords(s: NamedStatement): string {
  const which = s.sid ? `Sid “${s.sid}”` : s.number ? `statement ${s.number}` : null;
  return [s.policy, s.kind, which].filter(Boolean).join(' · ');
}

function VerdictCell({ verdict, principal }: { verdict: CapabilityVerdict & { statements: NamedStatement[] }; principal: string }) {
  const denied = verdict.actions.some((a) => a.decision === 'explicitDeny');
  return (
    <Td className="align-top">
      <div data-testid={`verdict-${principal}-${verdict.id}`} title={verdictSentence(verdict)}>
        <Badge tone={TONES[verdict.state]}>{verdictText(verdict)}</Badge>
        {verdict.state === 'partial' ? (
          <p className="mt-1 max-w-64 text-xs text-zinc-600 dark:text-zinc-400">
            Not: {verdict.actions.filter((a) => a.decision !== 'allowed').map((a) => a.action.replace(/^[a-z0-9]+:/, '')).join(', ')}
          </p>
        ) : null}
        {verdict.statements.length ? (
          <ul className="mt-1 space-y-0.5 text-xs text-zinc-500 dark:text-zinc-400">
            {verdict.statements.slice(0, 2).map((s, i) => (
              <li key={i} data-testid="deciding-statement">
                {denied ? 'Denied by ' : 'By '}
                {s.href ? <Link href={s.href} className="hover:underline">{statementWords(s)}</Link> : statementWords(s)}
              </li>
            ))}
            {verdict.statements.length > 2 ? <li>and {verdict.statements.length - 2} more</li> : null}
          </ul>
        ) : verdict.state === 'not-allowed' ? (
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">No statement allows it</p>
        ) : null}
        {verdict.boundaryBlocks ? <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Kept out by the permissions boundary</p> : null}
        {verdict.missingContext.length ? <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Depends on {verdict.missingContext.join(', ')}</p> : null}
      </div>
    </Td>
  );
}
