'use client';

import { useState } from 'react';
import { siteBucketAction, siteDistributionAction, teardownStepAction } from '@/app/(console)/cloudfront/-/site/actions';
import { fieldErrors, Outcome, useFormAction } from '@/components/ui/action-state';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, inputClass } from '@/components/ui/field';
import { SavedJobNote } from '@/components/jobs/saved-job';
import { useStepLoop } from '@/components/ui/step-loop';
import { REGIONS } from '@/lib/aws/regions';
import type { JobProgress } from '@/lib/jobs/progress';
import { bucketNameProblems } from '@/lib/validation/s3-rules';

export function SiteBucketForm({ buckets, region }: { buckets: string[]; region: string }) {
  const { state, pending, formProps } = useFormAction(siteBucketAction);
  const [source, setSource] = useState<'new' | 'existing'>('new');
  const [name, setName] = useState('');
  const live = source === 'new' && name ? bucketNameProblems(name.trim()) : [];
  const fe = fieldErrors(state);
  return (
    <form {...formProps} className="space-y-5" data-testid="site-bucket-form">
      <div className="flex gap-6 text-sm">
        {(['new', 'existing'] as const).map((s) => (
          <label key={s} className="flex items-center gap-2">
            <input type="radio" name="source" value={s} checked={source === s} onChange={() => setSource(s)} className="size-4 accent-brand-600" />
            {s === 'new' ? 'A new bucket' : 'A bucket I already have'}
          </label>
        ))}
      </div>
      {source === 'new' ? (
        <div className="grid grid-cols-[1fr_16rem] gap-4">
          <Field label="Bucket name" htmlFor="site-bucket" errors={live.length ? live : fe?.name}>
            <input id="site-bucket" name="name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} className={`${inputClass} font-mono`} aria-invalid={live.length > 0} />
          </Field>
          <Field label="Region" htmlFor="site-region">
            <select id="site-region" name="region" defaultValue={region} className={inputClass}>
              {REGIONS.map((r) => <option key={r.code} value={r.code}>{r.code}</option>)}
            </select>
          </Field>
        </div>
      ) : (
        <Field label="Bucket" htmlFor="site-existing" errors={fe?.existing}>
          <select id="site-existing" name="existing" className={`${inputClass} font-mono`}>
            {buckets.map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </Field>
      )}
      <label className="flex items-start gap-3 text-sm">
        <input key={source} type="checkbox" name="versioning" defaultChecked={source === 'new'} className="mt-0.5 size-4 accent-brand-600" />
        <span>
          <span className="font-medium">Versioning</span>
          <span className="block text-zinc-500 dark:text-zinc-400">
            Every upload keeps the previous version, so a bad deploy can be rolled back from the bucket page.{source === 'existing' ? ' Once on, versioning can be suspended but never turned off.' : ''}
          </span>
        </span>
      </label>
      <Outcome state={state} />
      <Button type="submit" disabled={pending || live.length > 0 || (source === 'new' && !name)}>{pending ? 'Working…' : source === 'new' ? 'Create the bucket' : 'Use this bucket'}</Button>
    </form>
  );
}

export function SiteDistributionForm({ bucket, callerReference, webAcls }: { bucket: string; callerReference: string; webAcls: { arn: string; name: string }[] | null }) {
  const { state, pending, formProps } = useFormAction(siteDistributionAction);
  const [waf, setWaf] = useState<'off' | 'existing' | 'create'>('create');
  // One key for this form's life, not for one render of the page: a retry
  // after a refusal finds the distribution the first try made.
  const [key] = useState(callerReference);
  return (
    <form {...formProps} className="space-y-4" data-testid="site-distribution-form">
      <input type="hidden" name="bucket" value={bucket} />
      <input type="hidden" name="callerReference" value={key} />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Origin Access Control, <span className="font-mono">index.html</span> at “/”, HTTP redirected to HTTPS, North America and Europe edge locations; then a bucket policy that lets only this distribution read, and Block Public Access on.
      </p>
      <fieldset className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
        <legend className="mb-1.5 text-sm font-medium">AWS WAF</legend>
        {([['create', 'Core protections (new web ACL)'], ['existing', 'An existing web ACL'], ['off', 'Off']] as const).map(([v, label]) => (
          <label key={v} className="flex items-center gap-2">
            <input type="radio" name="waf" value={v} checked={waf === v} onChange={() => setWaf(v)} disabled={v === 'existing' && !webAcls?.length} className="size-4 accent-brand-600" />
            {label}
          </label>
        ))}
      </fieldset>
      {waf === 'existing' && webAcls?.length ? (
        <select name="webAclArn" aria-label="Web ACL" className={`${inputClass} max-w-md`}>
          {webAcls.map((a) => <option key={a.arn} value={a.arn}>{a.name}</option>)}
        </select>
      ) : null}
      <Outcome state={state} />
      <Button type="submit" disabled={pending}>{pending ? 'Creating…' : 'Create the distribution'}</Button>
    </form>
  );
}

/**
 * Tears the site down one step per call, showing each; stops where a step
 * fails (or when asked) and resumes from AWS's state. `saved` is a teardown
 * left part-way (in this tab before a reload, another tab, or on another
 * instance), whose steps the log starts with.
 */
export function TeardownRunner({ bucket, saved }: { bucket: string; saved?: JobProgress | null }) {
  const [confirm, setConfirm] = useState('');
  const [log, setLog] = useState<string[]>(() => saved?.log.map((l) => l.message) ?? []);
  const [waiting, setWaiting] = useState<string | null>(null);
  const [bucketKept, setBucketKept] = useState(false);
  const { phase, error, run: loop, stop } = useStepLoop();

  function run() {
    loop(
      () => teardownStepAction(undefined, { bucket, confirm }),
      async (step) => {
        if (step.phase === 'wait') {
          setWaiting(step.message);
          await new Promise((r) => setTimeout(r, 2000));
          return false;
        }
        setWaiting(null);
        setLog((l) => [...l, step.message]);
        if (step.phase === 'done') setBucketKept(Boolean(step.bucketKept));
        return step.phase === 'done';
      },
      'confirm',
    );
  }

  return (
    <div className="space-y-4" data-testid="teardown">
      {saved && phase === 'idle' ? <SavedJobNote job={saved} what="teardown" /> : null}
      {phase === 'idle' || phase === 'stopped' ? (
        <Field label={`Type ${bucket} to confirm`} htmlFor="teardown-confirm">
          <input id="teardown-confirm" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" className={`${inputClass} max-w-md font-mono`} />
        </Field>
      ) : null}
      <div aria-live="polite">
        {log.length || waiting ? (
          <ol className="space-y-0.5 text-sm text-zinc-700 dark:text-zinc-300" data-testid="teardown-log">
            {log.map((l, i) => <li key={i}>✓ {l}</li>)}
            {waiting && phase === 'running' ? <li className="text-amber-700 dark:text-amber-400">… {waiting}</li> : null}
          </ol>
        ) : null}
        {error ? <Alert tone="error" title="Stopped">{error} Nothing after this step was touched; press Resume to carry on.</Alert> : null}
        {phase === 'done' ? <Alert tone="success">{bucketKept ? 'The site’s distribution is gone; the bucket stays, as Berth did not create it.' : 'The site is gone.'}</Alert> : null}
      </div>
      {phase === 'idle' || phase === 'stopped' ? (
        <Button variant="danger" onClick={run} disabled={confirm !== bucket}>{phase === 'stopped' || saved ? 'Resume' : 'Tear down the site'}</Button>
      ) : phase === 'running' ? (
        <Button variant="secondary" onClick={stop}>Stop after this step</Button>
      ) : null}
    </div>
  );
}
