import { PushCommands } from '@/components/ecr/push-commands';
import { CommandBlock } from '@/components/ui/command-block';
import type { Command } from '@/lib/ecr/commands';

/** The pull command in view (it needs no login), the push commands behind a disclosure. */
export function PublicCommands({ pull, push }: { pull: Command; push: Command[] }) {
  return (
    <div className="space-y-3">
      <div className="rounded-xl border border-zinc-200 bg-white px-5 py-4 dark:border-zinc-800 dark:bg-zinc-900">
        <CommandBlock label={pull.label} command={pull.command} testId="command-pull" />
      </div>
      <PushCommands
        commands={push}
        insecureRegistry={false}
        needs="Needs the AWS CLI and Docker, with AWS credentials that may push to this public repository. ECR Public logs in from us-east-1 only."
      />
    </div>
  );
}
