import 'server-only';
import type { Kysely } from 'kysely';
import { describeFailure, type AwsService } from '@/lib/aws/errors';
import { getDb, instanceId, type Database } from '@/lib/db';

// Progress of the guided jobs the browser drives one step at a time: a static
// site's teardown and a bucket's empty-and-delete (components/ui/step-loop.ts).
// Each step reads what is left from AWS, so the work itself resumes anywhere;
// what a person would lose with the tab, or a restart, or a move to another
// instance behind the load balancer, is the account of it: who started it,
// what each step did, how many versions are gone, where it stopped. That is
// kept here, in Berth's database, and the pages show it with Resume.

export type JobKind = 'site-teardown' | 'bucket-empty';

export interface JobLogEntry {
  at: number;
  message: string;
  /** The instance that ran the step. */
  instance: string | null;
}

/** A job as its page shows it (plain data, safe to hand to a client component). */
export interface JobProgress {
  kind: JobKind;
  target: string;
  /** running: a step ran and the next has not (the tab may have closed); stopped: a step failed; done. */
  status: 'running' | 'stopped' | 'done';
  startedBy: string | null;
  startedAt: number;
  updatedAt: number;
  finishedAt: number | null;
  steps: number;
  deleted: number;
  lastMessage: string | null;
  lastError: string | null;
  instance: string | null;
  /** Oldest first; the last LOG_SHOWN steps. */
  log: JobLogEntry[];
}

export interface StepRecord {
  message: string;
  /** Versions and delete markers this step deleted. */
  deleted?: number;
  /** The job's last step. */
  done?: boolean;
  /** False for a step that only waited (CloudFront deploying): counted in the job, not listed. */
  listed?: boolean;
}

const LOG_SHOWN = 200;

function jobId(kind: JobKind, target: string): string {
  return `${kind}:${target}`;
}

type Db = Kysely<Database>;

export async function readJob(kind: JobKind, target: string, db?: Db): Promise<JobProgress | null> {
  const d = db ?? (await getDb());
  const id = jobId(kind, target);
  const row = await d.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const steps = await d.selectFrom('job_steps').select(['at', 'message', 'instance']).where('job_id', '=', id).orderBy('id', 'desc').limit(LOG_SHOWN).execute();
  return {
    kind,
    target,
    status: row.status === 'done' || row.status === 'stopped' ? row.status : 'running',
    startedBy: row.started_by,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    steps: row.steps,
    deleted: row.deleted,
    lastMessage: row.last_message,
    lastError: row.last_error,
    instance: row.instance,
    log: steps.reverse(),
  };
}

/** The job when it is part-way (not finished): what a page offers to resume. */
export async function unfinishedJob(kind: JobKind, target: string): Promise<JobProgress | null> {
  // A page that offers to resume a job still works when the database does not
  // answer: it shows the runner as for a new job, and the log says why.
  const job = await readJob(kind, target).catch((error: unknown) => {
    console.error(`[jobs] could not read the saved progress of ${kind} ${target}:`, error);
    return null;
  });
  return job && job.status !== 'done' ? job : null;
}

/**
 * Records one step that ran. The first step of a job (or the first after a
 * finished one for the same resource: a bucket of the same name made again)
 * starts a new record. Counters move by increments in the database, so two
 * tabs or two instances stepping the same job at once both count.
 */
export async function recordStep(kind: JobKind, target: string, by: string | null, step: StepRecord, db?: Db): Promise<void> {
  const d = db ?? (await getDb());
  const id = jobId(kind, target);
  const now = Date.now();
  const instance = instanceId();
  const deleted = step.deleted ?? 0;
  await d.transaction().execute(async (trx) => {
    await trx.deleteFrom('jobs').where('id', '=', id).where('status', '=', 'done').execute();
    await trx
      .insertInto('jobs')
      .values({
        id,
        kind,
        target,
        status: step.done ? 'done' : 'running',
        started_by: by,
        started_at: now,
        updated_at: now,
        finished_at: step.done ? now : null,
        steps: 1,
        deleted,
        last_message: step.message,
        last_error: null,
        instance,
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          status: step.done ? 'done' : 'running',
          updated_at: now,
          finished_at: step.done ? now : null,
          steps: eb('jobs.steps', '+', 1),
          deleted: eb('jobs.deleted', '+', deleted),
          last_message: step.message,
          last_error: null,
          instance,
        })),
      )
      .execute();
    if (step.listed !== false) await trx.insertInto('job_steps').values({ job_id: id, at: now, message: step.message, instance }).execute();
  });
}

/** Records that a step failed: the job stops there, resumable, with the sentence the person saw. */
export async function recordStop(kind: JobKind, target: string, by: string | null, error: string, db?: Db): Promise<void> {
  const d = db ?? (await getDb());
  const now = Date.now();
  const id = jobId(kind, target);
  await d.transaction().execute(async (trx) => {
    // A failure before the first step of a new run does not reopen the finished one.
    await trx.deleteFrom('jobs').where('id', '=', id).where('status', '=', 'done').execute();
    await trx
      .insertInto('jobs')
      .values({ id, kind, target, status: 'stopped', started_by: by, started_at: now, updated_at: now, finished_at: null, last_message: null, last_error: error, instance: instanceId() })
      .onConflict((oc) => oc.column('id').doUpdateSet({ status: 'stopped', updated_at: now, last_error: error, instance: instanceId() }))
      .execute();
  });
}

/**
 * Runs one step of a job and records it (or where it stopped). A failure to
 * record is logged, not shown: the step has already changed AWS, and the next
 * one reads AWS afresh either way.
 */
export async function trackedStep<S>(
  job: { kind: JobKind; target: string; by: string | null; service: AwsService },
  step: () => Promise<S>,
  describe: (result: S) => StepRecord,
): Promise<S> {
  let result: S;
  try {
    result = await step();
  } catch (error) {
    const sentence = describeFailure(error, { service: job.service }).message;
    await recordStop(job.kind, job.target, job.by, sentence).catch((e: unknown) => console.error(`[jobs] could not record where ${job.kind} of ${job.target} stopped:`, e));
    throw error;
  }
  await recordStep(job.kind, job.target, job.by, describe(result)).catch((e: unknown) => console.error(`[jobs] could not record a step of ${job.kind} of ${job.target}:`, e));
  return result;
}
