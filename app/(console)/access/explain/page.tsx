import type { Metadata } from 'next';
import { AccessHeader } from '@/components/access/access-tabs';
import { ExplainForms, ExplanationView } from '@/components/access/explain';
import { requireRole } from '@/lib/auth/session';
import { roleAllows } from '@/lib/auth/roles';
import { attempt } from '@/lib/aws/errors';
import { iamRead, readAuthorization } from '@/lib/iam/authorization';
import { parseDenial } from '@/lib/iam/denial';
import { explain } from '@/lib/iam/explain';
import { param } from '@/lib/ui/url';

export const metadata: Metadata = { title: 'Why was this denied?' };

// State lives in the URL (a GET form), so an explanation is a link to share:
// /access/explain?message=… or ?principal=…&action=…&resource=…
export default async function ExplainPage({ searchParams }: PageProps<'/access/explain'>) {
  const user = await requireRole('viewer');
  const sp = await searchParams;
  const regionParam = param(sp, 'region');
  const message = (param(sp, 'message') ?? '').slice(0, 8192);
  const fields = { principal: (param(sp, 'principal') ?? '').trim(), action: (param(sp, 'action') ?? '').trim(), resource: (param(sp, 'resource') ?? '').trim() };
  const parsed = message ? parseDenial(message) : null;
  // From a message, what it says; from the fields, what was picked.
  const asked = message
    ? { principal: parsed?.principal?.arn ?? '', action: parsed?.action ?? '', resource: parsed?.resource ?? '*' }
    : fields;
  const snapshot = await attempt(readAuthorization, iamRead('iam:GetAccountAuthorizationDetails'));
  const principals = snapshot.ok
    ? [...snapshot.value.value.users.map((u) => ({ arn: u.arn, label: `user ${u.name}` })), ...snapshot.value.value.roles.map((r) => ({ arn: r.arn, label: `role ${r.name}` }))]
    : [];
  const ready = Boolean(asked.principal && asked.action);
  const explanation = ready ? await explain(asked) : null;
  return (
    <>
      <AccessHeader
        current="explain"
        title="Why was this denied?"
        description="Paste an access-denied message (docker, the AWS CLI, S3), or pick who, what and where. Berth asks AWS’s policy simulator and says what decided, step by step, and the smallest change that would allow it."
        regionParam={regionParam}
      />
      <div className="space-y-5">
        <ExplainForms message={message} fields={fields} principals={principals} snapshotProblem={snapshot.ok ? null : snapshot.problem} />
        {message && !parsed ? (
          <p className="text-sm text-amber-700 dark:text-amber-300" data-testid="parse-failed">
            Berth found no “User: … is not authorized to perform: …” in that text. Paste the whole line of the error, or pick the principal, action and resource below.
          </p>
        ) : null}
        {message && parsed && !ready ? (
          <p className="text-sm text-amber-700 dark:text-amber-300" data-testid="parse-partial">
            The message does not name {parsed.principal ? 'the action' : 'who was refused'}{parsed.operation ? ` (it names the ${parsed.operation} operation)` : ''}. Pick the principal, action and resource below.
          </p>
        ) : null}
        {explanation ? <ExplanationView e={explanation} parsed={message ? parsed : null} admin={roleAllows(user.role, 'admin')} /> : null}
      </div>
    </>
  );
}
