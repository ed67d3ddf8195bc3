import { CopyButton } from '@/components/ui/copy-button';

/** A file's text (a workflow, a policy) in a box that keeps its lines and indentation, with a copy button for exactly that text. */
export function CodeBlock({ label, text, testId }: { label: string; text: string; testId?: string }) {
  return (
    <div>
      <p className="mb-1 text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</p>
      <div className="flex items-start gap-2 rounded-lg border border-zinc-200 bg-zinc-950 px-3 py-2 dark:border-zinc-800">
        <pre data-testid={testId} className="min-w-0 flex-1 overflow-x-auto font-mono text-xs leading-5 text-zinc-100">
          {text}
        </pre>
        <CopyButton value={text} label={`Copy ${label}`} className="text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100" />
      </div>
    </div>
  );
}
