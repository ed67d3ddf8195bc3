import { getCallerIdentity } from '@/lib/aws/identity';
import { attempt } from '@/lib/aws/errors';
import { endpointFor } from '@/lib/aws/clients';
import { env } from '@/lib/env';
import { CopyButton } from '@/components/ui/copy-button';

/** Account id and caller ARN in the top bar; streamed in so STS never blocks the page. */
export async function IdentityChip() {
  const r = await attempt(getCallerIdentity, { service: 'STS', endpoint: endpointFor('STS', env().defaultRegion), action: 'sts:GetCallerIdentity' });
  if (r.ok) {
    const id = r.value;
    return (
      <div className="flex shrink-0 items-center gap-1 rounded-md border whitespace-nowrap border-zinc-200 bg-white py-0.5 pr-0.5 pl-2.5 text-sm dark:border-zinc-700 dark:bg-zinc-900" title={id.arn}>
        <span className="text-zinc-500 dark:text-zinc-400">Account</span>
        <span data-testid="account-id" className="font-mono text-zinc-900 dark:text-zinc-100">
          {id.account}
        </span>
        <CopyButton value={id.account} label="Copy account id" />
      </div>
    );
  }
  const p = r.problem;
  return (
      <span title={p.message} className="rounded-md bg-red-50 px-2.5 py-1 text-sm text-red-800 dark:bg-red-950/50 dark:text-red-200">
        {p.title}
      </span>
  );
}
