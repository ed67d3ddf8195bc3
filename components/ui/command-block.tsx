import { CopyButton } from './copy-button';

/** A labelled dark box of text with a copy button for exactly that text. */
function TextBox({ label, text, testId, copyLabel, file }: { label: string; text: string; testId?: string; copyLabel: string; file: boolean }) {
  const body = 'min-w-0 flex-1 font-mono text-xs leading-5 text-zinc-100';
  return (
    <div>
      <p className="mb-1 text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</p>
      <div className="flex items-start gap-2 rounded-lg border border-zinc-200 bg-zinc-950 px-3 py-2 dark:border-zinc-800">
        {file ? (
          <pre data-testid={testId} className={`${body} overflow-x-auto`}>{text}</pre>
        ) : (
          <code data-testid={testId} className={`${body} break-all whitespace-pre-wrap`}>{text}</code>
        )}
        <CopyButton value={text} label={copyLabel} className="text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100" />
      </div>
    </div>
  );
}

/** A shell command in a box, wrapped to fit, with a copy button for exactly that text. */
export function CommandBlock({ label, command, testId }: { label: string; command: string; testId?: string }) {
  return <TextBox label={label} text={command} testId={testId} copyLabel={`Copy: ${label}`} file={false} />;
}

/** A file's text (a workflow, a policy) in a box that keeps its lines and indentation, with a copy button for exactly that text. */
export function CodeBlock({ label, text, testId }: { label: string; text: string; testId?: string }) {
  return <TextBox label={label} text={text} testId={testId} copyLabel={`Copy ${label}`} file />;
}
