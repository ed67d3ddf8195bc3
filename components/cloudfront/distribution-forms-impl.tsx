'use client';

import { useState } from 'react';
import {
  createInvalidationAction,
  deleteDistributionAction,
  fixFindingAction,
  setDistributionEnabledAction,
  updateDistributionSettingsAction,
} from '@/app/(console)/cloudfront/[id]/actions';
import { fieldErrors, Outcome, useFormAction } from '@/components/ui/action-state';
import { newIdempotencyKey } from '@/components/ui/idempotency-key';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, inputClass } from '@/components/ui/field';
import { PRICE_CLASS_LABELS, VIEWER_PROTOCOL_LABELS, webAclName } from '@/lib/cloudfront/names';
import { defaultRootObjectProblems, invalidationPathProblems, PRICE_CLASSES, VIEWER_PROTOCOL_POLICIES } from '@/lib/validation/cloudfront-rules';

export interface SettingsValues {
  id: string;
  etag: string;
  comment: string;
  defaultRootObject: string;
  viewerProtocolPolicy: string;
  priceClass: string;
  webAclArn: string | null;
}

/** Edits the settings Berth owns; sends the ETag it was rendered with, so a concurrent change is refused, not overwritten. */
export function SettingsForm({ values, webAcls }: { values: SettingsValues; webAcls: { arn: string; name: string }[] | null }) {
  const { state, pending, formProps } = useFormAction(updateDistributionSettingsAction, { refresh: true });
  const [root, setRoot] = useState(values.defaultRootObject);
  const [waf, setWaf] = useState(values.webAclArn ? 'existing' : 'off');
  const rootProblems = defaultRootObjectProblems(root.trim());
  const conflict = state && !state.ok && /changed since this page was loaded/.test(state.message);
  const fe = fieldErrors(state);
  return (
    <form {...formProps} className="max-w-2xl space-y-5" data-testid="settings-form">
      <input type="hidden" name="id" value={values.id} />
      <input type="hidden" name="etag" value={values.etag} />
      <Field label="Comment" htmlFor="cf-comment" errors={fe?.comment}>
        <input id="cf-comment" name="comment" defaultValue={values.comment} maxLength={128} className={inputClass} />
      </Field>
      <Field label="Default root object" htmlFor="cf-root" errors={rootProblems.length ? rootProblems : fe?.defaultRootObject} hint="What “/” serves, e.g. index.html. Leave empty for none.">
        <input id="cf-root" name="defaultRootObject" value={root} onChange={(e) => setRoot(e.target.value)} className={`${inputClass} font-mono`} aria-invalid={rootProblems.length > 0} />
      </Field>
      <Field label="Viewer protocol policy" htmlFor="cf-vpp">
        <select id="cf-vpp" name="viewerProtocolPolicy" defaultValue={values.viewerProtocolPolicy} className={inputClass}>
          {VIEWER_PROTOCOL_POLICIES.map((p) => <option key={p} value={p}>{VIEWER_PROTOCOL_LABELS[p]}</option>)}
        </select>
      </Field>
      <Field label="Price class" htmlFor="cf-price" hint="Fewer edge locations cost less; visitors far from them wait a little longer.">
        <select id="cf-price" name="priceClass" defaultValue={values.priceClass} className={inputClass}>
          {PRICE_CLASSES.map((p) => <option key={p} value={p}>{PRICE_CLASS_LABELS[p]}</option>)}
        </select>
      </Field>
      <Field label="AWS WAF" htmlFor="cf-waf" errors={fe?.webAclArn}>
        <select id="cf-waf" name="waf" value={waf} onChange={(e) => setWaf(e.target.value)} className={inputClass}>
          <option value="off">Off</option>
          <option value="existing">Use a web ACL</option>
        </select>
      </Field>
      {waf === 'existing' ? (
        webAcls ? (
          <Field label="Web ACL" htmlFor="cf-acl">
            <select id="cf-acl" name="webAclArn" defaultValue={values.webAclArn ?? webAcls[0]?.arn} className={inputClass}>
              {/* The current one is always offered, even when the list does not have it, so saving never swaps it silently. */}
              {values.webAclArn && !webAcls.some((a) => a.arn === values.webAclArn) ? <option value={values.webAclArn}>{webAclName(values.webAclArn)} (current)</option> : null}
              {webAcls.map((a) => <option key={a.arn} value={a.arn}>{a.name}</option>)}
            </select>
          </Field>
        ) : values.webAclArn ? (
          <>
            <input type="hidden" name="webAclArn" value={values.webAclArn} />
            <Alert tone="warning">Berth could not list web ACLs (it needs wafv2:ListWebACLs); the current one, {webAclName(values.webAclArn)}, stays.</Alert>
          </>
        ) : (
          <Alert tone="warning">Berth could not list web ACLs (it needs wafv2:ListWebACLs).</Alert>
        )
      ) : null}
      <Outcome state={state} />
      {conflict ? (
        <p className="text-sm">
          {/* A full load, so every field shows what CloudFront has now. */}
          <a href={`/cloudfront/${values.id}?tab=settings`} className="font-medium text-brand-700 hover:underline dark:text-brand-300">
            Reload the current settings
          </a>
        </p>
      ) : null}
      <Button type="submit" disabled={pending || rootProblems.length > 0}>{pending ? 'Saving…' : 'Save settings'}</Button>
    </form>
  );
}

export function InvalidationForm({ id, callerReference }: { id: string; callerReference: string }) {
  const [text, setText] = useState('');
  // The idempotency key belongs to this form, not to the page render (which refreshes while
  // invalidations run): a double submit or a retry reuses it; a new key only after a success.
  const [ref, setRef] = useState(callerReference);
  const { state, pending, formProps } = useFormAction(createInvalidationAction, {
    refresh: true,
    onSuccess: () => {
      setRef(newIdempotencyKey());
      setText('');
    },
  });
  const paths = text.split(/\r?\n/).map((p) => p.trim()).filter(Boolean);
  const problems = paths.flatMap(invalidationPathProblems);
  return (
    <form {...formProps} className="space-y-3" data-testid="invalidation-form">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="callerReference" value={ref} />
      <Field label="Paths to invalidate" htmlFor="cf-paths" errors={problems.length ? problems : fieldErrors(state)?.paths} hint="One per line, each starting with “/”. A “*” at the end covers everything under a path, e.g. /images/*.">
        <textarea id="cf-paths" name="paths" rows={4} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} placeholder="/index.html" className={`${inputClass} h-auto py-2 font-mono text-xs`} />
      </Field>
      <Outcome state={state} />
      <Button type="submit" disabled={pending || paths.length === 0 || problems.length > 0}>{pending ? 'Starting…' : `Invalidate ${paths.length || ''} path${paths.length === 1 ? '' : 's'}`.replace('  ', ' ')}</Button>
    </form>
  );
}

export function EnableButton({ id, enabled }: { id: string; enabled: boolean }) {
  const { state, pending, formProps } = useFormAction(setDistributionEnabledAction, { refresh: true });
  return (
    <form {...formProps} className="space-y-3">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="enabled" value={enabled ? 'false' : 'true'} />
      <Outcome state={state} />
      <Button type="submit" variant={enabled ? 'danger' : 'secondary'} disabled={pending}>
        {pending ? 'Sending…' : enabled ? 'Disable distribution' : 'Enable again'}
      </Button>
    </form>
  );
}

export function DeleteDistributionForm({ id }: { id: string }) {
  const { state, pending, formProps } = useFormAction(deleteDistributionAction, { refresh: true });
  const [confirm, setConfirm] = useState('');
  return (
    <form {...formProps} className="space-y-3" data-testid="delete-distribution-form">
      <input type="hidden" name="id" value={id} />
      <Field label={`Type ${id} to confirm`} htmlFor="cf-confirm" errors={fieldErrors(state)?.confirm}>
        <input id="cf-confirm" name="confirm" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" className={`${inputClass} max-w-xs font-mono`} />
      </Field>
      <Outcome state={state} />
      <Button type="submit" variant="danger" disabled={pending || confirm !== id}>{pending ? 'Deleting…' : 'Delete distribution'}</Button>
    </form>
  );
}

export function FixButton({ id, fix, label }: { id: string; fix: string; label: string }) {
  const { state, pending, formProps } = useFormAction(fixFindingAction, { refresh: true });
  return (
    <form {...formProps} className="flex flex-col items-end gap-2">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="fix" value={fix} />
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>{pending ? 'Fixing…' : label}</Button>
      {state && !state.ok ? <span className="max-w-xs text-right text-xs text-red-600 dark:text-red-400" aria-live="polite">{state.message}</span> : null}
      {state?.ok ? <span className="max-w-xs text-right text-xs text-emerald-700 dark:text-emerald-400" aria-live="polite">{state.message}</span> : null}
    </form>
  );
}
