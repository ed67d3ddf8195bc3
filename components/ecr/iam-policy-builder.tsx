'use client';

import { useMemo, useState } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { inputClass } from '@/components/ui/field';
import { RadioCards } from '@/components/ui/radio-cards';
import { identityPolicy, type Access } from '@/lib/validation/ecr-policy';

export function IamPolicyBuilder({ repositories, allArn }: { repositories: { name: string; arn: string }[]; allArn: string }) {
  const [access, setAccess] = useState<Access>('pull');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [all, setAll] = useState(false);
  const [filter, setFilter] = useState('');
  const visible = repositories.filter((r) => r.name.includes(filter.trim().toLowerCase())).slice(0, 500);
  const policy = useMemo(() => {
    const arns = all ? [allArn] : repositories.filter((r) => chosen.has(r.name)).map((r) => r.arn);
    return arns.length ? identityPolicy(access, arns) : '';
  }, [access, all, allArn, chosen, repositories]);

  return (
    <div className="grid grid-cols-1 gap-6 2xl:grid-cols-2">
      <div className="space-y-5">
        <RadioCards
          legend="What should they be able to do?"
          name="access"
          value={access}
          onChange={setAccess}
          options={[
            { value: 'pull', title: 'Pull', description: 'docker pull: read images.' },
            { value: 'push', title: 'Push and pull', description: 'docker push as well: upload new images and tags.' },
          ]}
        />
        <fieldset>
          <legend className="mb-1.5 text-sm font-medium">Which repositories?</legend>
          <label className="mb-2 flex items-center gap-2 text-sm">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} className="size-4 accent-brand-600" />
            Every repository in this region, now and later
          </label>
          {!all ? (
            <>
              <input aria-label="Filter repositories" placeholder="Filter repositories" value={filter} onChange={(e) => setFilter(e.target.value)} className={`${inputClass} mb-2`} />
              <ul className="max-h-72 space-y-0.5 overflow-auto rounded-lg border border-zinc-200 p-2 dark:border-zinc-800" data-testid="iam-repositories">
                {visible.map((r) => (
                  <li key={r.name}>
                    <label className="flex items-center gap-2 rounded px-2 py-1 text-sm hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
                      <input
                        type="checkbox"
                        checked={chosen.has(r.name)}
                        onChange={() =>
                          setChosen((prev) => {
                            const next = new Set(prev);
                            if (next.has(r.name)) next.delete(r.name);
                            else next.add(r.name);
                            return next;
                          })
                        }
                        className="size-4 accent-brand-600"
                      />
                      <span className="font-mono">{r.name}</span>
                    </label>
                  </li>
                ))}
                {visible.length === 0 ? <li className="px-2 py-1 text-sm text-zinc-500">No repository matches.</li> : null}
              </ul>
            </>
          ) : null}
        </fieldset>
      </div>
      <div>
        <div className="mb-1.5 flex items-center justify-between">
          <p className="text-sm font-medium">Identity policy</p>
          {policy ? <CopyButton value={policy} label="Copy policy JSON" /> : null}
        </div>
        {policy ? (
          <pre data-testid="iam-policy-json" className="max-h-[32rem] overflow-auto rounded-lg bg-zinc-950 p-4 font-mono text-xs text-zinc-100">{policy}</pre>
        ) : (
          <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-500 dark:border-zinc-700">Pick at least one repository.</p>
        )}
        <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">
          Attach it in IAM to the user or role that runs docker (IAM → Users or Roles → Add permissions → Create inline policy → JSON).
          <code> ecr:GetAuthorizationToken</code> is on <code>*</code> because the registry login cannot be limited to a repository.
        </p>
      </div>
    </div>
  );
}
