'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { emptyBucketStepAction } from '@/app/(console)/s3/[bucket]/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, inputClass } from '@/components/ui/field';
import { DROPPED_CALL, useStepLoop } from '@/components/ui/step-loop';
import { SavedJobNote } from '@/components/jobs/saved-job';
import type { JobProgress } from '@/lib/jobs/progress';

/**
 * `total` is what the census counted now; `saved` an empty-and-delete left
 * part-way (a reload, another tab, another instance), whose deletions count
 * towards the bar and whose steps the log starts with.
 */
export function EmptyAndDeleteRunner({ bucket, total: remaining, saved }: { bucket: string; total: number; saved?: JobProgress | null }) {
  const router = useRouter();
  const [confirm, setConfirm] = useState('');
  const [deleted, setDeleted] = useState(saved?.deleted ?? 0);
  const [log, setLog] = useState<string[]>(() => saved?.log.map((l) => l.message) ?? []);
  const total = remaining + (saved?.deleted ?? 0);
  const { phase, error, run: loop } = useStepLoop();

  function run() {
    // Each call does one bounded step on the server; the loop lives here so
    // progress shows and a failure stops it exactly where it happened.
    loop(
      () => emptyBucketStepAction(undefined, { bucket, confirm }),
      (step) => {
        if (step.phase === 'versions') {
          setDeleted((n) => n + step.deleted);
          setLog((l) => [...l, `Deleted ${step.deleted.toLocaleString('en-US')} versions and markers`]);
          return false;
        }
        if (step.phase === 'uploads') {
          setLog((l) => [...l, `Aborted ${step.aborted} unfinished uploads`]);
          return false;
        }
        setLog((l) => [...l, `Deleted the bucket ${bucket}`]);
        setTimeout(() => router.push('/s3'), 1200);
        return true;
      },
      'confirm',
    );
  }

  const pct = total > 0 ? Math.min(100, Math.round((100 * deleted) / total)) : phase === 'done' ? 100 : 0;
  return (
    <div className="space-y-4" data-testid="empty-and-delete">
      {saved && phase === 'idle' ? <SavedJobNote job={saved} what="empty-and-delete" /> : null}
      {phase === 'idle' || phase === 'stopped' ? (
        <Field label={`Type ${bucket} to confirm`} htmlFor="confirm-bucket">
          <input id="confirm-bucket" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" className={`${inputClass} max-w-md font-mono`} />
        </Field>
      ) : null}
      {phase !== 'idle' || saved ? (
        <div>
          <div className="mb-1 flex justify-between text-xs text-zinc-500">
            <span>{deleted.toLocaleString('en-US')} of {total.toLocaleString('en-US')} versions and markers deleted</span>
            <span>{pct}%</span>
          </div>
          <div className="h-2 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800">
            <div role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} className="h-full bg-red-500 transition-[width]" style={{ width: `${pct}%` }} />
          </div>
          <ol className="mt-3 space-y-0.5 text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite" data-testid="empty-log">
            {log.map((l, i) => <li key={i}>✓ {l}</li>)}
          </ol>
        </div>
      ) : null}
      {error ? <Alert tone="error" title="Stopped">{error}{error === DROPPED_CALL ? ' Press Resume to carry on from what S3 holds now.' : null}</Alert> : null}
      {phase === 'done' ? <Alert tone="success">The bucket and everything in it are gone.</Alert> : null}
      {phase === 'idle' || phase === 'stopped' ? (
        <Button variant="danger" onClick={run} disabled={confirm !== bucket}>
          {phase === 'stopped' || saved ? 'Resume' : 'Empty and delete bucket'}
        </Button>
      ) : null}
    </div>
  );
}
