'use client';

import { useState } from 'react';
import { createBucketAction } from '@/app/(console)/s3/-/new/actions';
import { fieldErrors, Outcome, useFormAction } from '@/components/ui/action-state';
import { Button } from '@/components/ui/button';
import { Field, inputClass } from '@/components/ui/field';
import { REGIONS } from '@/lib/aws/regions';
import { bucketNameProblems } from '@/lib/validation/s3-rules';

export function CreateBucketForm({ region }: { region: string }) {
  const { state, pending, formProps } = useFormAction(createBucketAction);
  const [name, setName] = useState('');
  const live = name.length > 0 ? bucketNameProblems(name.trim()) : [];
  const server = fieldErrors(state);
  return (
    <form {...formProps} className="space-y-6" noValidate data-testid="create-bucket-form">
      <Field label="Bucket name" htmlFor="bucket-name" errors={live.length ? live : server?.name} hint="3–63 lowercase letters, digits, dots and hyphens. Bucket names are global: unique across every AWS account.">
        <input id="bucket-name" name="name" value={name} onChange={(e) => setName(e.target.value)} autoFocus autoComplete="off" spellCheck={false} className={`${inputClass} font-mono`} aria-invalid={live.length > 0} />
      </Field>
      <Field label="Region" htmlFor="bucket-region" hint="Where the data is stored. It cannot be changed later.">
        <select id="bucket-region" name="region" defaultValue={region} className={inputClass}>
          {REGIONS.map((r) => (
            <option key={r.code} value={r.code}>{r.code} · {r.name}</option>
          ))}
        </select>
      </Field>
      <label className="flex items-start gap-3 text-sm">
        <input type="checkbox" name="versioning" className="mt-0.5 size-4 accent-brand-600" />
        <span>
          <span className="font-medium">Versioning</span>
          <span className="block text-zinc-500 dark:text-zinc-400">Keep every version of every object, so an overwrite or a delete can be undone. Old versions are billed as storage.</span>
        </span>
      </label>
      <label className="flex items-start gap-3 text-sm">
        <input type="checkbox" name="blockPublicAccess" defaultChecked className="mt-0.5 size-4 accent-brand-600" />
        <span>
          <span className="font-medium">Block all public access</span>
          <span className="block text-zinc-500 dark:text-zinc-400">Recommended. Nothing in the bucket can be made public by a policy or an ACL. A CloudFront distribution can still serve it.</span>
        </span>
      </label>
      <Outcome state={state} />
      <Button type="submit" disabled={pending || live.length > 0}>{pending ? 'Creating…' : 'Create bucket'}</Button>
    </form>
  );
}
