'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect } from 'react';
import { startScanAction } from '@/app/(console)/ecr/[...name]/actions';
import { Button } from '@/components/ui/button';
import type { ActionResult } from '@/lib/auth/action';

export function ScanButton({ region, repository, digest }: { region: string; repository: string; digest: string }) {
  const router = useRouter();
  const [state, action, pending] = useActionState<ActionResult | undefined, FormData>(startScanAction, undefined);
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="region" value={region} />
      <input type="hidden" name="name" value={repository} />
      <input type="hidden" name="digest" value={digest} />
      {state && !state.ok ? <span role="alert" className="text-xs text-red-600 dark:text-red-400">{state.message}</span> : null}
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>{pending ? 'Starting…' : 'Scan now'}</Button>
    </form>
  );
}
