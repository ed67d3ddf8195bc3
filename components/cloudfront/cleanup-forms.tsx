'use client';

import {
  deleteOriginAccessControlAction,
  deleteOriginAccessIdentityAction,
  deleteWebAclAction,
  revokeBucketReadAction,
} from '@/app/(console)/cloudfront/-/cleanup/actions';
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

const ACTIONS = {
  oac: { action: deleteOriginAccessControlAction, field: 'oacId', label: 'Delete the origin access control' },
  oai: { action: deleteOriginAccessIdentityAction, field: 'oaiId', label: 'Delete the origin access identity' },
  webAcl: { action: deleteWebAclAction, field: 'webAclArn', label: 'Delete the web ACL' },
} as const;

/** Deletes one leftover Berth made for the bucket (the server checks again that it is Berth's and unused). */
export function DeleteLeftoverButton({ kind, bucket, id }: { kind: keyof typeof ACTIONS; bucket: string; id: string }) {
  const { action: serverAction, field, label } = ACTIONS[kind];
  const { state, pending, formProps } = useFormAction(serverAction, { refresh: true });
  return (
    <form {...formProps} className="space-y-2">
      <input type="hidden" name="bucket" value={bucket} />
      <input type="hidden" name={field} value={id} />
      <Outcome state={state} />
      {state?.ok ? null : <Button type="submit" variant="secondary" disabled={pending}>{pending ? 'Deleting…' : label}</Button>}
    </form>
  );
}
