import 'server-only';
import { Suspense } from 'react';

// Why not a plain <Suspense> around every AWS read: once React has shown a
// fallback, it holds back revealing the content behind it until about 300 ms
// after that fallback appeared, so a list that answers in 60 ms would still
// paint at 300 ms, on every sidebar click. A skeleton is worth that only when
// the data really is slow. So a read that answers within a short budget is
// rendered in place, in the same payload as the page's header (on a client
// navigation the previous page stays, with the link's pending hint, until
// then); a slower one gets its skeleton and streams in.
// https://react.dev/reference/react/Suspense#preventing-already-revealed-content-from-hiding
// https://nextjs.org/docs/app/guides/streaming

/**
 * How long a page waits for a read before it shows a skeleton instead. The
 * trade: a read answering within it paints when it answers; one answering
 * between it and about 300 ms later paints at about QUICK_MS + 300 ms (the
 * throttle again, counted from the skeleton); a slower one paints when it
 * answers. A full page load's first byte waits at most this long.
 */
export const QUICK_MS = 150;

/**
 * The promise's value if it settles within `ms` (its error, if it fails that
 * soon); otherwise undefined, and the promise keeps running for whoever
 * renders it later.
 */
export async function within<T>(promise: Promise<T>, ms = QUICK_MS): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
  });
  try {
    return await Promise.race([promise.then((value) => ({ value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `content` (the promise of an async component's output, e.g.
 * `Buckets({ region, sp })`) in place when it is ready within `ms`, otherwise
 * `fallback` until it is. Awaited by the page itself, `{await suspenseIfSlow(…)}`,
 * rather than rendered as an async component of its own, so quick content is
 * part of the page's own piece of the payload, not a chunk that comes after.
 *
 * Quick content gets no Suspense boundary at all: inside one, a large table
 * is sent in the HTML as a skeleton plus one streamed piece per row (React
 * outlines the rows), where without one it is sent whole. The cost is that a
 * view rendered again, once quick and once slow, swaps its content for a new
 * instance; `keepState` keeps it in one boundary either way, for content with
 * client state worth keeping (a form whose bucket was changed in the URL).
 * A form inside quick content whose answer must outlive that swap (a delete's
 * "Deleted 2 objects." when the refresh after it turns slow) names where its
 * answer is kept: `useFormAction(…, { keep: useKeepAt(name) })`
 * (components/ui/kept-outcomes.tsx), as the object and image tables do. A
 * boundary whose content does not suspend never shows its fallback. `key`
 * starts the boundary afresh (showing the fallback again) when the view
 * changes, as the list pages do for their filter and sort.
 */
export async function suspenseIfSlow(
  content: Promise<React.ReactNode>,
  fallback: React.ReactNode,
  opts: { key?: string; ms?: number; keepState?: boolean } = {},
): Promise<React.ReactNode> {
  const ready = await within(content, opts.ms);
  if (ready && !opts.keepState) return ready.value;
  return (
    <Suspense key={opts.key} fallback={fallback}>
      {ready ? ready.value : <Streamed content={content} />}
    </Suspense>
  );
}

async function Streamed({ content }: { content: Promise<React.ReactNode> }) {
  return await content;
}
