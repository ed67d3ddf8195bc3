'use client';

import { lazy, Suspense, useSyncExternalStore, type ComponentType } from 'react';
import { Alert } from '@/components/ui/alert';

/**
 * A client component whose code is a chunk of its own, fetched only when
 * something renders it. Next puts every client component a page (or layout)
 * imports in the chunks every visitor of that page downloads, whether it is
 * rendered or not (https://github.com/vercel/next.js/issues/69865), so a form
 * only an admin sees would otherwise cost every viewer its code.
 *
 * The server still renders it into the HTML. In the browser its code is
 * fetched when hydration reaches it, a moment after the page's own chunks, and
 * until it has hydrated its controls are disabled: something typed into the
 * server's HTML before then would be lost (React does not replay it), so they
 * wait, and so do the end-to-end tests, which wait for a control to be enabled.
 *
 * React.lazy and Suspense are what next/dynamic is built on; used directly
 * they add nothing to the bundle, where next/dynamic's loader adds about
 * 3 KiB gzip to every page that uses it.
 * https://nextjs.org/docs/app/guides/lazy-loading
 * https://react.dev/reference/react/lazy
 */
export function onDemand<P extends object>(load: () => Promise<ComponentType<P>>, what: string): ComponentType<P> {
  const Lazy = lazy(async () => {
    const Component = await loadOrExplain(load, what);
    function Loaded(props: P) {
      return (
        <Live>
          <Component {...props} />
        </Live>
      );
    }
    return { default: Loaded };
  });
  function OnDemand(props: P) {
    return (
      <Suspense fallback={null}>
        <Lazy {...props} />
      </Suspense>
    );
  }
  return OnDemand;
}

/**
 * Its code, tried twice. If it still does not come (a tab opened before Berth
 * was updated asks for a chunk the new build no longer has, or the network
 * dropped), the part says so where it would have been, rather than leaving its
 * controls disabled with no word, or throwing into the section's error page.
 */
async function loadOrExplain<P extends object>(load: () => Promise<ComponentType<P>>, what: string): Promise<ComponentType<P>> {
  try {
    return await load();
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 500));
    try {
      return await load();
    } catch {
      return function NotLoaded() {
        return <Alert tone="error">{what} did not load: reload the page.</Alert>;
      };
    }
  }
}

const noSubscription = () => () => {};

/**
 * Disables the form controls inside until this part of the page has hydrated:
 * false in the server's HTML and while hydrating, true from then on.
 * A fieldset is the one element whose `disabled` reaches every control in it
 * (https://html.spec.whatwg.org/multipage/form-elements.html#the-fieldset-element);
 * `display: contents` keeps it out of the layout.
 */
function Live({ children }: { children: React.ReactNode }) {
  const live = useSyncExternalStore(noSubscription, () => true, () => false);
  return (
    <fieldset disabled={!live} role="none" className="contents">
      {children}
    </fieldset>
  );
}
