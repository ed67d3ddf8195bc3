'use client';

import { useMemo, useState } from 'react';
import {
  deleteBucketPolicyAction,
  saveBucketPolicyAction,
  setPublicAccessBlockAction,
  setTagsAction,
  setVersioningAction,
  setWebsiteAction,
} from '@/app/(console)/s3/[bucket]/actions';
import { fieldErrors, Outcome, useFormAction } from '@/components/ui/action-state';
import { Button } from '@/components/ui/button';
import { Field, inputBase, inputClass } from '@/components/ui/field';
import type { PublicAccessBlock } from '@/lib/s3/properties';
import { policyProblems, withStatement } from '@/lib/validation/policy';
import { cloudFrontOnlyStatement, denyInsecureTransportStatement, DISTRIBUTION_ARN, publicReadStatement } from '@/lib/validation/s3-policy';

export function VersioningForm({ bucket, status }: { bucket: string; status: 'Enabled' | 'Suspended' | 'Off' }) {
  const { state, pending, formProps } = useFormAction(setVersioningAction, { refresh: true });
  const next = status === 'Enabled' ? 'Suspended' : 'Enabled';
  return (
    <form {...formProps} className="space-y-3" data-testid="versioning-form">
      <input type="hidden" name="bucket" value={bucket} />
      <input type="hidden" name="status" value={next} />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {status === 'Enabled'
          ? 'Every overwrite and delete keeps the previous version, so it can be restored. Suspending stops new versions; the existing ones stay (and are billed) until deleted.'
          : status === 'Suspended'
            ? 'New writes replace the current object; versions made while versioning was on are kept. Turn it back on to keep history again.'
            : 'An overwrite or delete replaces the object for good. Enabling versioning keeps history from now on; a bucket can never go back to unversioned, only to suspended.'}
      </p>
      <Outcome state={state} />
      <Button type="submit" variant={next === 'Enabled' ? 'primary' : 'secondary'} disabled={pending}>
        {next === 'Enabled' ? 'Enable versioning' : 'Suspend versioning'}
      </Button>
    </form>
  );
}

export function WebsiteForm({ bucket, website }: { bucket: string; website: { indexDocument: string; errorDocument: string | null } | null }) {
  const { state, pending, formProps } = useFormAction(setWebsiteAction, { refresh: true });
  const [enabled, setEnabled] = useState(Boolean(website));
  const errors = fieldErrors(state);
  return (
    <form {...formProps} className="space-y-4" data-testid="website-form">
      <input type="hidden" name="bucket" value={bucket} />
      <label className="flex items-center gap-3 text-sm">
        <input type="checkbox" name="enabled" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} className="size-4 accent-brand-600" />
        Host a static website from this bucket
      </label>
      {enabled ? (
        <div className="grid grid-cols-2 gap-4">
          <Field label="Index document" htmlFor="indexDocument" errors={errors?.indexDocument} hint="Served for / and for every folder.">
            <input id="indexDocument" name="indexDocument" defaultValue={website?.indexDocument ?? 'index.html'} className={`${inputClass} font-mono`} />
          </Field>
          <Field label="Error document" htmlFor="errorDocument" errors={errors?.errorDocument} hint="Served with 404 for missing pages (optional).">
            <input id="errorDocument" name="errorDocument" defaultValue={website?.errorDocument ?? 'error.html'} className={`${inputClass} font-mono`} />
          </Field>
        </div>
      ) : null}
      <Outcome state={state} />
      <Button type="submit" disabled={pending}>Save website settings</Button>
    </form>
  );
}

const BPA_FIELDS: { name: keyof PublicAccessBlock; label: string }[] = [
  { name: 'blockPublicAcls', label: 'Block new public ACLs' },
  { name: 'ignorePublicAcls', label: 'Ignore existing public ACLs' },
  { name: 'blockPublicPolicy', label: 'Block new public bucket policies' },
  { name: 'restrictPublicBuckets', label: 'Restrict access when a public policy exists' },
];

export function PublicAccessForm({ bucket, current }: { bucket: string; current: PublicAccessBlock | null }) {
  const { state, pending, formProps } = useFormAction(setPublicAccessBlockAction, { refresh: true });
  return (
    <form {...formProps} className="space-y-3" data-testid="bpa-form">
      <input type="hidden" name="bucket" value={bucket} />
      {BPA_FIELDS.map((f) => (
        <label key={f.name} className="flex items-center gap-3 text-sm">
          <input type="checkbox" name={f.name} defaultChecked={current ? current[f.name] : false} className="size-4 accent-brand-600" />
          {f.label}
        </label>
      ))}
      <p className="text-xs text-zinc-500 dark:text-zinc-400">All four on is the safe default. A website served straight from the bucket needs the policy ones off; one served through CloudFront does not.</p>
      <Outcome state={state} />
      <Button type="submit" disabled={pending}>Save Block Public Access</Button>
    </form>
  );
}

export function BucketPolicyEditor({
  bucket,
  initial,
  partition,
  plainHttpEndpoint,
}: {
  bucket: string;
  initial: string | null;
  partition: string;
  /** Where Berth calls S3, when that is plain HTTP: "Deny non-TLS" would then refuse Berth itself. */
  plainHttpEndpoint: string | null;
}) {
  const [text, setText] = useState(initial ?? '');
  const [distribution, setDistribution] = useState('');
  const { state, pending, formProps } = useFormAction(saveBucketPolicyAction, { refresh: true });
  const remove = useFormAction(deleteBucketPolicyAction, { refresh: true, onSuccess: () => setText('') });
  // The newer answer of the two is the one to show.
  const [last, setLast] = useState<'save' | 'remove'>('save');
  const problems = useMemo(() => (text.trim() ? policyProblems(text, 'resource') : []), [text]);
  const add = (s: Parameters<typeof withStatement>[1]) => setText(withStatement(problems.length ? '' : text, s));
  return (
    <div className="space-y-3" data-testid="bucket-policy-editor">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium">Templates:</span>
        <Button type="button" size="sm" variant="secondary" onClick={() => add(publicReadStatement(bucket, partition))}>Public read for a website</Button>
        <Button
          type="button"
          size="sm"
          variant="secondary"
          aria-describedby={plainHttpEndpoint ? 'deny-non-tls-note' : undefined}
          onClick={() => add(denyInsecureTransportStatement(bucket, partition))}
        >
          Deny non-TLS
        </Button>
        <input aria-label="Distribution ARN" placeholder={`arn:${partition}:cloudfront::123456789012:distribution/E…`} value={distribution} onChange={(e) => setDistribution(e.target.value)} className={`${inputBase} h-8 w-80 font-mono text-xs`} />
        <Button type="button" size="sm" variant="secondary" disabled={!DISTRIBUTION_ARN.test(distribution.trim())} onClick={() => add(cloudFrontOnlyStatement(bucket, distribution.trim()))}>
          Only this CloudFront distribution
        </Button>
      </div>
      {plainHttpEndpoint ? (
        // A note, not a block: on AWS over HTTPS the template is what it says, and an admin may still want it here.
        <p id="deny-non-tls-note" className="text-xs text-amber-800 dark:text-amber-300" data-testid="deny-non-tls-note">
          Berth reaches S3 over plain HTTP (<span className="font-mono">{plainHttpEndpoint}</span>). Once saved, “Deny non-TLS” refuses
          Berth’s own requests to this bucket as well, removing the policy included, as S3 would.
        </p>
      ) : null}
      <form {...formProps} onSubmitCapture={() => setLast('save')} className="space-y-3">
        <input type="hidden" name="bucket" value={bucket} />
        {/* The policy this editor started from: the save is refused if the bucket's changed since. */}
        <input type="hidden" name="basis" value={initial ?? ''} />
        <Field label="Bucket policy (JSON)" htmlFor="bucket-policy" errors={problems}>
          <textarea id="bucket-policy" name="policy" value={text} onChange={(e) => setText(e.target.value)} rows={12} spellCheck={false} className={`${inputClass} h-auto py-2 font-mono text-xs`} placeholder="No bucket policy." />
        </Field>
        <Outcome state={last === 'remove' ? remove.state : state} listField="policy" />
        <div className="flex gap-2">
          <Button type="submit" disabled={pending || !text.trim() || problems.length > 0}>Save policy</Button>
          {initial ? <Button {...remove.buttonProps} onClickCapture={() => setLast('remove')} variant="secondary" disabled={remove.pending}>Remove policy</Button> : null}
        </div>
      </form>
    </div>
  );
}

export function TagsForm({ bucket, tags }: { bucket: string; tags: { key: string; value: string }[] }) {
  const { state, pending, formProps } = useFormAction(setTagsAction, { refresh: true });
  const [rows, setRows] = useState(tags.length ? tags : [{ key: '', value: '' }]);
  const clean = rows.filter((r) => r.key.trim());
  return (
    <form {...formProps} className="space-y-3" data-testid="tags-form">
      <input type="hidden" name="bucket" value={bucket} />
      <input type="hidden" name="tags" value={JSON.stringify(clean)} />
      <input type="hidden" name="basis" value={JSON.stringify(tags)} />
      {rows.map((r, i) => (
        <div key={i} className="flex gap-2">
          <input aria-label={`Tag ${i + 1} key`} placeholder="Key" value={r.key} onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} className={`${inputBase} w-56`} />
          <input aria-label={`Tag ${i + 1} value`} placeholder="Value" value={r.value} onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} className={`${inputBase} w-72`} />
          <Button type="button" size="sm" variant="ghost" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={`Remove tag ${i + 1}`}>Remove</Button>
        </div>
      ))}
      <div className="flex gap-2">
        <Button type="button" size="sm" variant="secondary" onClick={() => setRows([...rows, { key: '', value: '' }])}>Add tag</Button>
        <Button type="submit" size="sm" disabled={pending}>Save tags</Button>
      </div>
      <Outcome state={state} />
    </form>
  );
}
