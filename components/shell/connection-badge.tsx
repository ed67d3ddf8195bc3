import 'server-only';

/**
 * Says which AWS Berth talks to: the real one, or a custom endpoint such as
 * the emulator. Read from the SDK's own AWS_ENDPOINT_URL, as the clients are.
 */
export function ConnectionBadge() {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) {
    return (
      <span className="inline-flex items-center gap-2 text-sm text-zinc-500 dark:text-zinc-400">
        <span className="size-2 rounded-full bg-emerald-500" /> Amazon Web Services
      </span>
    );
  }
  const local = /^https?:\/\/(127\.|localhost|\[::1\])/.test(endpoint);
  return (
    <span
      title={`Every AWS call goes to ${endpoint}`}
      className="inline-flex shrink-0 items-center gap-2 rounded-full bg-amber-50 whitespace-nowrap px-3 py-1 text-xs font-medium text-amber-900 ring-1 ring-amber-200 ring-inset dark:bg-amber-950/40 dark:text-amber-200 dark:ring-amber-900"
    >
      <span className="size-1.5 rounded-full bg-amber-500" />
      {local ? 'Local emulator' : 'Custom endpoint'}
      <span className="hidden font-mono font-normal opacity-80 2xl:inline">{endpoint.replace(/^https?:\/\//, '')}</span>
    </span>
  );
}
