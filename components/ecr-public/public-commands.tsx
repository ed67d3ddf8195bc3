import { CommandBlock } from '@/components/ui/command-block';
import type { Command } from '@/lib/ecr/commands';

/** The pull command in view (it needs no login), the push commands behind a disclosure. */
export function PublicCommands({ pull, push }: { pull: Command; push: Command[] }) {
  return (
    <div className="space-y-3">
      <div className="rounded-xl border border-zinc-200 bg-white px-5 py-4 dark:border-zinc-800 dark:bg-zinc-900">
        <CommandBlock label={pull.label} command={pull.command} testId="command-pull" />
      </div>
      <details className="group rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" data-testid="push-commands">
        <summary className="flex cursor-pointer list-none items-center justify-between px-5 py-3 text-sm font-medium [&::-webkit-details-marker]:hidden">
          View push commands
          <span className="text-zinc-400 transition-transform group-open:rotate-180" aria-hidden>⌄</span>
        </summary>
        <div className="space-y-3 border-t border-zinc-100 px-5 py-4 dark:border-zinc-800">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Needs the AWS CLI and Docker, with AWS credentials that may push to this public repository. ECR Public logs in from us-east-1 only.
          </p>
          {push.map((c) => (
            <CommandBlock key={c.id} label={c.label} command={c.command} testId={`command-${c.id}`} />
          ))}
        </div>
      </details>
    </div>
  );
}
