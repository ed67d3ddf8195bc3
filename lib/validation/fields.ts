import { z } from 'zod';
import { isKnownRegion } from '@/lib/aws/regions';

// Fields every form shares. Each turns any value at all, however hostile, into
// either a parsed value or a field error: a server action is a public POST
// endpoint, so nothing here may throw.

/** An HTML checkbox: "on" when ticked, absent when not (true/"true" from a direct call). */
export const checkbox = z.preprocess((v) => v === true || v === 'on' || v === 'true', z.boolean());

/** Every console action says which region it acts in; only known regions pass. */
export const regionField = z.string().refine(isKnownRegion, { message: 'Choose a region Berth knows.' });

/** A name a form may repeat (several checkboxes): one value or many, always a list. */
export function many<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]), z.array(item));
}

/** The longest JSON text a field takes; every such field holds a few KB at most. */
const JSON_TEXT_MAX = 256 * 1024;

/**
 * A field that carries JSON text (the tag editor's list, a selected object
 * version): text that is not JSON becomes a field error, never a thrown
 * JSON.parse. A value that is already parsed (a direct call with an array)
 * goes straight to `inner`; empty text is `empty` when given.
 */
export function jsonField<T extends z.ZodType>(inner: T, opts: { empty?: unknown; what?: string } = {}) {
  const what = opts.what ?? 'This value';
  return z.preprocess((v, ctx) => {
    if (typeof v !== 'string') return v;
    if (!v.trim() && 'empty' in opts) return opts.empty;
    if (v.length > JSON_TEXT_MAX) {
      ctx.addIssue({ code: 'custom', message: `${what} is too long (at most ${JSON_TEXT_MAX / 1024} KB).` });
      return z.NEVER;
    }
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `${what} could not be read (it is not valid JSON). Reload the page and try again.` });
      return z.NEVER;
    }
  }, inner);
}

/** Typing a resource's name to confirm deleting it. */
export const confirmField = z.string().max(1024);
