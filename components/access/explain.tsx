import Link from 'next/link';
import { Alert } from '@/components/ui/alert';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Field, inputClass } from '@/components/ui/field';
import { Freshness } from '@/components/ui/freshness';
import { readTags } from '@/lib/aws/read-cache-tags';
import type { AwsProblem } from '@/lib/aws/errors';
import type { ParsedDenial } from '@/lib/iam/denial';
import type { Explanation, Fix, Step, StepStatus } from '@/lib/iam/explain';
import type { Decision } from '@/lib/iam/simulate';
import { accessPaths } from '@/lib/iam/paths';
import { ApplyFixButton } from './apply-fix-button';
import type { ApplyFixFields } from './apply-fix-button-impl';

// "Why was this denied?" (app/(console)/access/explain): the two GET forms, the
// steps, the verdict and the fixes. Server components; only the apply button
// is client code, and only an admin's page renders (and downloads) it.

const textarea =
  'block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-xs text-zinc-900 shadow-xs placeholder:text-zinc-400 focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100';

export function ExplainForms({
  message,
  fields,
  principals,
  snapshotProblem,
}: {
  message: string;
  fields: { principal: string; action: string; resource: string };
  principals: { arn: string; label: string }[];
  snapshotProblem: AwsProblem | null;
}) {
  const picked = fields.principal && !principals.some((p) => p.arn === fields.principal) ? [{ arn: fields.principal, label: fields.principal }, ...principals] : principals;
  return (
    <div className="grid grid-cols-2 gap-5">
      <Card>
        <CardHeader title="Paste the message" description="The whole error line: docker’s “denied: User: …”, the AWS CLI’s “An error occurred (AccessDenied…)”, S3’s." />
        <CardBody>
          <form method="get" action={accessPaths.explain} className="space-y-3">
            <Field label="Access-denied message" htmlFor="explain-message">
              <textarea
                id="explain-message"
                name="message"
                rows={5}
                defaultValue={message}
                className={textarea}
                placeholder="denied: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:InitiateLayerUpload on resource: arn:aws:ecr:us-east-1:123456789012:repository/team/api because no identity-based policy allows the ecr:InitiateLayerUpload action"
              />
            </Field>
            <button type="submit" className={buttonClass('primary', 'sm')}>
              Explain this message
            </button>
          </form>
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Or pick" description="A user or role of this account, an action and the resource it was asked on." />
        <CardBody>
          <form method="get" action={accessPaths.explain} className="space-y-3">
            {snapshotProblem ? <AwsProblemAlert problem={snapshotProblem} /> : null}
            <Field label="Who" htmlFor="explain-principal">
              <select id="explain-principal" name="principal" defaultValue={fields.principal} className={inputClass}>
                <option value="">Choose a user or role…</option>
                {picked.map((p) => (
                  <option key={p.arn} value={p.arn}>
                    {p.label}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Action" htmlFor="explain-action" hint="service:Action, e.g. ecr:PutImage or s3:GetObject">
              <input id="explain-action" name="action" defaultValue={fields.action} className={inputClass} placeholder="ecr:InitiateLayerUpload" autoComplete="off" />
            </Field>
            <Field label="Resource" htmlFor="explain-resource" hint="An ARN; leave empty for “*”">
              <input id="explain-resource" name="resource" defaultValue={fields.resource} className={inputClass} placeholder="arn:aws:ecr:us-east-1:123456789012:repository/team/api" autoComplete="off" />
            </Field>
            <button type="submit" className={buttonClass('secondary', 'sm')}>
              Explain
            </button>
          </form>
        </CardBody>
      </Card>
    </div>
  );
}

const STATUS: Record<StepStatus, { tone: 'green' | 'red' | 'neutral' | 'amber'; label: string }> = {
  ok: { tone: 'green', label: 'allows' },
  deny: { tone: 'red', label: 'denies' },
  info: { tone: 'neutral', label: 'found' },
  warn: { tone: 'amber', label: 'note' },
  missing: { tone: 'amber', label: 'Berth may not read' },
};

const VERDICT: Record<Decision, { tone: 'green' | 'red'; label: string }> = {
  allowed: { tone: 'green', label: 'Allowed' },
  explicitDeny: { tone: 'red', label: 'Explicitly denied' },
  implicitDeny: { tone: 'red', label: 'Implicitly denied' },
};

function StepItem({ step, n }: { step: Step; n: number }) {
  const s = STATUS[step.status];
  return (
    <li className="flex gap-3 px-5 py-3" data-testid="explain-step">
      <span className="mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full bg-zinc-100 text-xs font-semibold text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">{n}</span>
      <div className="min-w-0 flex-1 space-y-1">
        <p className="flex items-center gap-2 text-sm font-medium text-zinc-900 dark:text-zinc-100">
          {step.title} <Badge tone={s.tone}>{s.label}</Badge>
        </p>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{step.text}</p>
        {step.items?.length ? (
          <ul className="list-disc space-y-0.5 pl-5 text-sm text-zinc-600 dark:text-zinc-400">
            {step.items.map((i) => <li key={i} className="break-words">{i}</li>)}
          </ul>
        ) : null}
        {step.code?.map((c) => (
          <pre key={c} className="overflow-x-auto rounded-md bg-zinc-50 p-3 font-mono text-xs text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200">
            {c}
          </pre>
        ))}
      </div>
    </li>
  );
}

function Diff({ fix }: { fix: Fix }) {
  return (
    <pre className="max-h-96 overflow-auto rounded-md border border-zinc-200 bg-zinc-50 py-2 font-mono text-xs dark:border-zinc-800 dark:bg-zinc-950" data-testid="fix-diff">
      {fix.diff.map((l, i) => (
        <div
          key={i}
          className={
            l.op === '+'
              ? 'bg-emerald-50 px-3 text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200'
              : l.op === '-'
                ? 'bg-red-50 px-3 text-red-900 dark:bg-red-950/50 dark:text-red-200'
                : 'px-3 text-zinc-600 dark:text-zinc-400'
          }
        >
          <span className="select-none">{l.op} </span>
          {l.text}
        </div>
      ))}
    </pre>
  );
}

function applyFields(e: Explanation, fix: Fix): ApplyFixFields {
  const t = fix.target;
  const target = t.kind === 'user-inline' ? 'user' : t.kind === 'role-inline' ? 'role' : t.kind === 'group-inline' ? 'group' : t.kind === 'repository-policy' ? 'repository' : 'bucket';
  return {
    target,
    group: t.kind === 'group-inline' ? t.name : undefined,
    principal: e.principal!.arn,
    action: e.action,
    resource: e.resource,
    grant: fix.actions,
    withLogin: fix.withLogin,
    baseHash: fix.baseHash ?? undefined,
  };
}

export function ExplanationView({ e, parsed, admin }: { e: Explanation; parsed: ParsedDenial | null; admin: boolean }) {
  const verdict = e.verdict ? VERDICT[e.verdict] : null;
  return (
    <div className="space-y-5">
      <Card>
        <CardHeader
          title="What was asked"
          description={parsed ? 'Read from the message.' : undefined}
          action={verdict ? <span data-testid="explain-verdict" data-decision={e.verdict}><Badge tone={verdict.tone}>{verdict.label}</Badge></span> : null}
        />
        <CardBody>
          <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-zinc-500 dark:text-zinc-400">Who</dt>
            <dd className="font-mono text-xs break-all text-zinc-900 dark:text-zinc-100" data-testid="explain-principal">
              {e.principal ? (
                <Link className="hover:underline" href={e.principal.kind === 'user' ? accessPaths.user(e.principal.name) : accessPaths.role(e.principal.name)}>
                  {e.principal.kind} {e.principal.name}
                </Link>
              ) : (
                (parsed?.principal?.arn ?? '—')
              )}
              {parsed?.principal?.kind === 'assumed-role' ? <span className="ml-2 text-zinc-500">(session {parsed.principal.session} of the role)</span> : null}
            </dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Action</dt>
            <dd className="font-mono text-xs text-zinc-900 dark:text-zinc-100" data-testid="explain-action">{e.action}</dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Resource</dt>
            <dd className="font-mono text-xs break-all text-zinc-900 dark:text-zinc-100" data-testid="explain-resource">{e.resource}</dd>
            {parsed?.reason ? (
              <>
                <dt className="text-zinc-500 dark:text-zinc-400">AWS said</dt>
                <dd className="text-zinc-700 dark:text-zinc-300">
                  {parsed.reason.kind === 'explicit' ? `an explicit deny in a ${parsed.reason.policyType ?? 'policy'}` : `no ${parsed.reason.policyType ?? 'policy'} allows it`}
                  {parsed.reason.policyArn ? <span className="ml-1 font-mono text-xs">({parsed.reason.policyArn})</span> : null}
                </dd>
              </>
            ) : null}
          </dl>
          {parsed && e.principal ? (
            <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">
              <Link className="hover:underline" href={`${accessPaths.explain}?${new URLSearchParams({ principal: e.principal.arn, action: e.action, resource: e.resource })}`}>
                Change these as fields →
              </Link>
            </p>
          ) : null}
        </CardBody>
      </Card>

      {e.missing.length ? (
        <Alert tone="warning" title="Berth may not read everything it needs here">
          Add {e.missing.join(', ')} to the identity Berth runs as (the optional statements in docs/iam-policy.json) for a full explanation.
        </Alert>
      ) : null}

      <Card>
        <CardHeader title="How AWS decides" description="From the IAM snapshot, the resource’s policy and AWS’s policy simulator (SimulatePrincipalPolicy)." />
        <ol className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="explain-steps">
          {e.steps.map((s, i) => <StepItem key={`${i}-${s.title}`} step={s} n={i + 1} />)}
        </ol>
      </Card>

      {/* The simulator's answers are kept with the IAM snapshot: a change made outside Berth shows on Refresh. */}
      <Freshness className="justify-end" readAt={e.readAt} tags={[readTags.iamAuthorization()]} />

      {e.fixes.length ? (
        <Card data-testid="explain-fixes">
          <CardHeader
            title="The smallest change that would allow it"
            description={
              e.set
                ? `Grants ${e.fixes[0]!.actions.join(', ')}${e.fixes[0]!.withLogin ? ' and docker login' : ''}: what ${e.set.label} still lacks. Pick one of these; each alone is enough.`
                : 'Pick one of these; each alone is enough.'
            }
          />
          <div className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {e.fixes.map((f) => (
              <div key={f.id} className="space-y-2 px-5 py-4" data-testid="explain-fix" data-fix={f.target.kind}>
                <p className="text-sm font-medium text-zinc-900 dark:text-zinc-100">{f.title}</p>
                <p className="text-sm text-zinc-600 dark:text-zinc-400">{f.note}</p>
                <Diff fix={f} />
                {!f.changed ? (
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">This policy already holds the statement; something else decides.</p>
                ) : admin ? (
                  <ApplyFixButton fields={applyFields(e, f)} label="Apply this change" />
                ) : (
                  <p className="text-sm text-zinc-500 dark:text-zinc-400" data-testid="viewer-note">An admin of Berth can apply this change.</p>
                )}
              </div>
            ))}
          </div>
        </Card>
      ) : null}
    </div>
  );
}
