'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { applyExplainFixAction } from '@/app/(console)/access/explain/actions';
import { Outcome, useFormAction } from '@/components/ui/action-state';
import { buttonClass } from '@/components/ui/button';

export interface ApplyFixFields {
  target: 'user' | 'role' | 'group' | 'repository' | 'bucket';
  group?: string;
  principal: string;
  action: string;
  resource: string;
  grant: string[];
  withLogin: boolean;
  baseHash?: string;
}

/** One click applies the diff shown above it; the page then asks the simulator again. */
export function ApplyFixButton({ fields, label }: { fields: ApplyFixFields; label: string }) {
  const router = useRouter();
  const { state, pending, formProps } = useFormAction(applyExplainFixAction);
  // Success or "the policy changed since you looked": either way the page reads again (a new verdict, or a new diff).
  useEffect(() => {
    if (state) router.refresh();
  }, [state, router]);
  return (
    <form {...formProps} className="space-y-2">
      <input type="hidden" name="target" value={fields.target} />
      {fields.group ? <input type="hidden" name="group" value={fields.group} /> : null}
      <input type="hidden" name="principal" value={fields.principal} />
      <input type="hidden" name="action" value={fields.action} />
      <input type="hidden" name="resource" value={fields.resource} />
      {fields.grant.map((g) => <input key={g} type="hidden" name="grant" value={g} />)}
      {fields.withLogin ? <input type="hidden" name="withLogin" value="on" /> : null}
      {fields.baseHash ? <input type="hidden" name="baseHash" value={fields.baseHash} /> : null}
      <button type="submit" disabled={pending} className={buttonClass('primary', 'sm')} data-testid="apply-fix">
        {pending ? 'Applying…' : label}
      </button>
      <Outcome state={state} />
    </form>
  );
}
