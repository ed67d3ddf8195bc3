'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useEffect } from 'react';

// A form's last answer, kept for as long as the page stays on the same URL.
//
// A list whose read is quick is rendered in place; when the same read is slow
// it comes in a Suspense boundary (components/ui/suspense-if-slow.tsx). The two
// are different trees to React, so a list re-rendered by router.refresh() after
// its own form succeeded is a new instance whenever the refresh is slow, and
// the form's answer ("Deleted 2 objects.") would go with the old one. A form
// that names itself (useFormAction's `keep`, from useKeepAt) leaves its answer here, and a new
// instance on the same URL starts from it. Leaving the URL forgets every
// answer (ForgetKeptOutcomes, in the console layout), so coming back later
// does not show an old sentence again.
//
// Browser memory only: nothing here runs on the server, where one module would
// be shared by every request.

interface Kept {
  url: string;
  result: unknown;
}

const kept = new Map<string, Kept>();

/** The page's URL as the router reports it: the path and its query, in one spelling. */
function urlOf(pathname: string, query: string): string {
  return query ? `${pathname}?${query}` : pathname;
}

/** Where a form's answer is kept: its name on the URL of the page it is rendered for. */
export interface KeepAt {
  key: string;
  url: string;
}

/**
 * For a form named `name` (unique on its page). The URL is the router's for
 * the tree being rendered, not the address bar's: during a navigation the two
 * differ until the new page is committed.
 */
export function useKeepAt(name: string): KeepAt {
  const url = urlOf(usePathname(), useSearchParams().toString());
  return { key: `${name} ${url}`, url };
}

/**
 * Keeps a form's answer, if the page is still on the URL the form was rendered
 * for: an answer that arrives after the person has gone elsewhere belongs to
 * no page they will see again (ForgetKeptOutcomes has already run there).
 */
export function keepOutcome(at: KeepAt, result: unknown): void {
  if (typeof window === 'undefined') return;
  if (urlOf(window.location.pathname, new URLSearchParams(window.location.search).toString()) !== at.url) return;
  kept.set(at.key, { url: at.url, result });
}

/** The answer kept for the form, if any. */
export function recallOutcome<T>(at: KeepAt): T | undefined {
  if (typeof window === 'undefined') return undefined;
  return kept.get(at.key)?.result as T | undefined;
}

/** Forgets the answers kept for any other URL, whenever the URL changes. Renders nothing. */
export function ForgetKeptOutcomes() {
  const url = urlOf(usePathname(), useSearchParams().toString());
  useEffect(() => {
    for (const [key, entry] of kept) if (entry.url !== url) kept.delete(key);
  }, [url]);
  return null;
}
