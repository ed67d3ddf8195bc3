import { Alert } from '@/components/ui/alert';
import type { JobProgress } from '@/lib/jobs/progress';

// A guided job someone left part-way, as Berth's database remembers it
// (lib/jobs/progress.ts): shown above the runner, whose log starts with its steps.

function when(ms: number): string {
  // One fixed form on the server and in the browser (no locale), so hydration agrees.
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function SavedJobNote({ job, what }: { job: JobProgress; what: string }) {
  return (
    <Alert tone="warning" title={`This ${what} was started and not finished`}>
      <span data-testid="saved-job">
        Started by {job.startedBy ?? 'someone'} at {when(job.startedAt)}; the last step ran at {when(job.updatedAt)}
        {job.instance ? ` on ${job.instance}` : ''}.{' '}
        {job.status === 'stopped' && job.lastError ? <>It stopped there: {job.lastError} </> : null}
        Everything listed below is done; type the name and press Resume to carry on from what AWS holds now.
      </span>
    </Alert>
  );
}
