import 'server-only';
import { forbidden, redirect, unauthorized, unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import { auditRequest } from '@/lib/audit/record';
import { runInAuditScope, type AuditScope } from '@/lib/audit/scope';
import { asPerson } from '@/lib/aws/caller';
import { describeFailure, Refusal, type AwsService } from '@/lib/aws/errors';
import { currentUser, type SessionUser } from './session';
import { roleAllows, type Role } from './roles';

// Every server action is a public POST endpoint, so every one is built here:
// session → role → zod → handler, with one shape of result and one audit line.
// A missing session answers 401 and a missing role 403 (Next's auth interrupts),
// before the input is even parsed. Each outcome is one entry in the audit
// trail (lib/audit/), with the AWS calls' region, resource and request id
// gathered while the handler ran.

export type ActionResult<T = undefined> =
  | { ok: true; message?: string; data: T }
  | { ok: false; message: string; fieldErrors?: Record<string, string[]> };

/** A refusal the handler wants shown as it is (already a sentence for a person). */
export class ActionError extends Refusal {}

interface ActionOptions<S extends z.ZodType> {
  /** Stable name for logs and traces, e.g. "users.save". */
  name: string;
  role: Role;
  schema: S;
  /** Which AWS service the handler talks to, for error messages when the error does not say. */
  service?: AwsService;
  /** After a multi-step change stopped part-way (PartialChange): how the person finishes it. */
  resume?: string;
}

type Handler<S extends z.ZodType, T> = (
  input: z.output<S>,
  ctx: { user: SessionUser },
) => Promise<{ data: T; message?: string; redirectTo?: string }>;

function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith('$ACTION')) continue;
    const all = form.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

function safeParse<S extends z.ZodType>(schema: S, raw: unknown) {
  try {
    return schema.safeParse(raw);
  } catch (error) {
    console.error('[schema threw]', error);
    return null;
  }
}


// Fields that name what a form is about. A refused request is never parsed,
// but the trail still says what it aimed at (short strings only; never a password).
const TARGET_FIELDS = ['region', 'bucket', 'key', 'name', 'id', 'email'];

function aimedAt(input: unknown): Record<string, string> | undefined {
  const raw = input instanceof FormData ? formDataToObject(input) : input;
  if (!raw || typeof raw !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const k of TARGET_FIELDS) {
    const v = (raw as Record<string, unknown>)[k];
    if (typeof v === 'string' && v) out[k] = v.slice(0, 200);
  }
  return Object.keys(out).length ? out : undefined;
}

export function defineAction<S extends z.ZodType, T = undefined>(opts: ActionOptions<S>, handler: Handler<S, T>) {
  return async function run(_prev: ActionResult<T> | undefined, input: FormData | unknown): Promise<ActionResult<T>> {
    const scope: AuditScope = { calls: [] };
    let raw: unknown = input;
    // Awaited, so the entry is in the trail when the person's next page asks;
    // auditRequest never throws, so a failed write never fails the action.
    const audit = (name: string, user: SessionUser | null, outcome: string, error?: unknown) =>
      auditRequest({ action: name, user, outcome, scope, service: opts.service, input: raw, error });
    const user = await currentUser();
    if (!user) {
      scope.detail = aimedAt(input);
      await audit(opts.name, null, 'unauthenticated');
      unauthorized();
    }
    if (!roleAllows(user.role, opts.role)) {
      scope.detail = aimedAt(input);
      await audit(opts.name, user, 'forbidden');
      forbidden();
    }
    raw = input instanceof FormData ? formDataToObject(input) : input;
    const parsed = safeParse(opts.schema, raw);
    if (!parsed) {
      // A schema must turn every value into issues; one that threw is a bug
      // (lib/validation/hostile.test.ts hunts for them), but still not a 500.
      await audit(opts.name, user, 'invalid:unreadable');
      return { ok: false, message: 'Berth could not read what this form sent. Reload the page and try again.' };
    }
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.join('.') || '_';
        (fieldErrors[key] ??= []).push(issue.message);
      }
      // Which fields, not what was in them (a field may be a password).
      scope.detail = { fields: Object.keys(fieldErrors).slice(0, 20) };
      await audit(opts.name, user, 'invalid');
      return { ok: false, message: 'Some fields need attention.', fieldErrors };
    }
    let outcome: Awaited<ReturnType<Handler<S, T>>>;
    try {
      // Every AWS call the handler makes (and any work it leaves running) is
      // this person's: with BERTH_ASSUME_ROLE_ARN, CloudTrail names them.
      outcome = await runInAuditScope(scope, () => asPerson(user.email, () => handler(parsed.data, { user })));
    } catch (error) {
      unstable_rethrow(error);
      // The one place every refusal class becomes what the person sees.
      const failure = describeFailure(error, { service: opts.service ?? 'STS', resume: opts.resume });
      // The sentence the person saw: why, in the trail, without the stack.
      scope.detail = { ...scope.detail, reason: failure.message.slice(0, 400) };
      await audit(opts.name, user, failure.outcome, error);
      if (failure.outcome === 'error:unknown') console.error(`[${opts.name}]`, error);
      return { ok: false, message: failure.message, fieldErrors: failure.fieldErrors };
    }
    await audit(opts.name, user, 'ok');
    // After the try/catch: redirect() works by throwing.
    if (outcome.redirectTo) redirect(outcome.redirectTo);
    return { ok: true, data: outcome.data, message: outcome.message };
  };
}
