import { CommandBlock } from '@/components/ui/command-block';
import type { Command } from '@/lib/ecr/commands';

/** The push commands behind a disclosure; `needs` says what running them takes (the public page words it for ECR Public). */
export function PushCommands({
  commands,
  insecureRegistry,
  needs = 'Needs the AWS CLI and Docker, with AWS credentials that may push to this repository (see “IAM policy for a person”).',
}: {
  commands: Command[];
  insecureRegistry: boolean;
  needs?: string;
}) {
  return (
    <details className="group rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" data-testid="push-commands">
      <summary className="flex cursor-pointer list-none items-center justify-between px-5 py-3 text-sm font-medium [&::-webkit-details-marker]:hidden">
        View push commands
        <span className="text-zinc-400 transition-transform group-open:rotate-180" aria-hidden>⌄</span>
      </summary>
      <div className="space-y-3 border-t border-zinc-100 px-5 py-4 dark:border-zinc-800">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{needs}</p>
        {commands.map((c) => (
          <CommandBlock key={c.id} label={c.label} command={c.command} testId={`command-${c.id}`} />
        ))}
        {insecureRegistry ? (
          <p className="text-xs text-amber-700 dark:text-amber-300">
            This registry is the local emulator and speaks plain HTTP: list it under Docker’s <code>insecure-registries</code>, or use skopeo with{' '}
            <code>--dest-tls-verify=false</code>.
          </p>
        ) : null}
      </div>
    </details>
  );
}
