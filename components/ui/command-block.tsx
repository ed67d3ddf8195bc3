import { CopyButton } from './copy-button';

/** A shell command in a box, with a copy button for exactly that text. */
export function CommandBlock({ label, command, testId }: { label: string; command: string; testId?: string }) {
  return (
    <div>
      <p className="mb-1 text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</p>
      <div className="flex items-start gap-2 rounded-lg border border-zinc-200 bg-zinc-950 px-3 py-2 dark:border-zinc-800">
        <code data-testid={testId} className="min-w-0 flex-1 font-mono text-xs leading-5 break-all whitespace-pre-wrap text-zinc-100">
          {command}
        </code>
        <CopyButton value={command} label={`Copy: ${label}`} className="text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100" />
      </div>
    </div>
  );
}
