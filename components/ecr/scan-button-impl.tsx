'use client';

import { startScanAction } from '@/app/(console)/ecr/[...name]/actions';
import { useFormAction } from '@/components/ui/action-state';
import { Button } from '@/components/ui/button';

export function ScanButton({ region, repository, digest }: { region: string; repository: string; digest: string }) {
  const { state, pending, formProps } = useFormAction(startScanAction, { refresh: true });
  return (
    <form {...formProps} className="flex items-center gap-2">
      <input type="hidden" name="region" value={region} />
      <input type="hidden" name="name" value={repository} />
      <input type="hidden" name="digest" value={digest} />
      {state && !state.ok ? <span role="alert" className="text-xs text-red-600 dark:text-red-400">{state.message}</span> : null}
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>{pending ? 'Starting…' : 'Scan now'}</Button>
    </form>
  );
}
