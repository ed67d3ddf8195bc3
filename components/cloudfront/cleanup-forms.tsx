'use client';

import { deleteOriginAccessControlAction, revokeBucketReadAction } from '@/app/(console)/cloudfront/-/cleanup/actions';
import { Outcome, useFormAction } from '@/components/ui/action-state';
import { Button } from '@/components/ui/button';

export function RevokeBucketReadButton({ bucket, distributionArn, oaiId }: { bucket: string; distributionArn?: string; oaiId?: string }) {
  const { state, pending, formProps } = useFormAction(revokeBucketReadAction, { refresh: true });
  return (
    <form {...formProps} className="space-y-2">
      <input type="hidden" name="bucket" value={bucket} />
      {distributionArn ? <input type="hidden" name="distributionArn" value={distributionArn} /> : null}
      {oaiId ? <input type="hidden" name="oaiId" value={oaiId} /> : null}
      <Outcome state={state} />
      {state?.ok ? null : <Button type="submit" variant="secondary" disabled={pending}>{pending ? 'Removing…' : 'Remove the statement'}</Button>}
    </form>
  );
}

export function DeleteOacButton({ oacId }: { oacId: string }) {
  const { state, pending, formProps } = useFormAction(deleteOriginAccessControlAction, { refresh: true });
  return (
    <form {...formProps} className="space-y-2">
      <input type="hidden" name="oacId" value={oacId} />
      <Outcome state={state} />
      {state?.ok ? null : <Button type="submit" variant="secondary" disabled={pending}>{pending ? 'Deleting…' : 'Delete the origin access control'}</Button>}
    </form>
  );
}
