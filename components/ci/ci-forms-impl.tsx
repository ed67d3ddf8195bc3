'use client';

import { useState } from 'react';
import { createSiteCiRoleAction, createSiteCiUserAction } from '@/app/(console)/cloudfront/[id]/actions';
import { createEcrCiRoleAction, createEcrCiUserAction } from '@/app/(console)/ecr/[...name]/actions';
import { fieldErrors, Outcome, useFormAction } from '@/components/ui/action-state';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CodeBlock, CommandBlock } from '@/components/ui/command-block';
import { CopyButton } from '@/components/ui/copy-button';
import { Field, inputClass } from '@/components/ui/field';
import { suggestedName } from '@/lib/ci/documents';
import type { ManualFallback, RoleOutcome, UserOutcome } from '@/lib/ci/onboarding';

export type CiFormTarget = { kind: 'ecr'; region: string; repository: string } | { kind: 'site'; id: string };

/**
 * One form for both routes to CI credentials: the GitHub fields are typed
 * once; "Create the role" sends them with the role name, the fallback's
 * button with the user name. Each answer stays on screen below the form.
 */
export function CiForms({ target, namePart }: { target: CiFormTarget; namePart: string }) {
  const role = useFormAction(target.kind === 'ecr' ? createEcrCiRoleAction : createSiteCiRoleAction);
  const user = useFormAction(target.kind === 'ecr' ? createEcrCiUserAction : createSiteCiUserAction);
  const [repo, setRepo] = useState('');
  const [roleName, setRoleName] = useState<string | null>(null);
  const [userName, setUserName] = useState<string | null>(null);
  const errors = { ...fieldErrors(role.state), ...fieldErrors(user.state) };
  const pending = role.pending || user.pending;

  return (
    <form {...role.formProps} className="space-y-5" data-testid="ci-form">
      {target.kind === 'ecr' ? (
        <>
          <input type="hidden" name="region" value={target.region} />
          <input type="hidden" name="repository" value={target.repository} />
        </>
      ) : (
        <input type="hidden" name="id" value={target.id} />
      )}
      <div className="grid grid-cols-3 gap-4">
        <Field label="GitHub owner" htmlFor="ci-owner" errors={errors.owner} hint="The account or organization, as on GitHub.">
          <input id="ci-owner" name="owner" className={inputClass} placeholder="octo-org" autoComplete="off" spellCheck={false} aria-invalid={Boolean(errors.owner)} />
        </Field>
        <Field label="Repository" htmlFor="ci-repo" errors={errors.repo}>
          <input id="ci-repo" name="repo" className={inputClass} placeholder="web" autoComplete="off" spellCheck={false} value={repo} onChange={(e) => setRepo(e.target.value)} aria-invalid={Boolean(errors.repo)} />
        </Field>
        <Field label="Branch" htmlFor="ci-branch" errors={errors.branch} hint="Only pushes to this branch get credentials.">
          <input id="ci-branch" name="branch" className={inputClass} defaultValue="main" autoComplete="off" spellCheck={false} aria-invalid={Boolean(errors.branch)} />
        </Field>
      </div>

      <section className="space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
        <div>
          <h3 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">GitHub Actions role (recommended)</h3>
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            No key to store or rotate: each run gets credentials for an hour, and only from this repository and branch.
          </p>
        </div>
        <NameAndCreate id="ci-role-name" name="roleName" label="Role name" errors={errors.roleName} value={roleName ?? suggestedName(namePart, repo)} onChange={setRoleName}>
          <Button type="submit" disabled={pending} className={errors.roleName ? 'mb-6' : undefined}>
            {role.pending ? 'Creating…' : 'Create the role'}
          </Button>
        </NameAndCreate>
        <Outcome state={role.state} />
        {role.state?.ok ? <RoleResult outcome={role.state.data} /> : null}
      </section>

      <details className="group rounded-lg border border-zinc-200 p-4 dark:border-zinc-800" open={Boolean(user.state)}>
        <summary className="cursor-pointer text-sm font-semibold text-zinc-900 dark:text-zinc-100">No OpenID Connect? Use an IAM user and access key instead</summary>
        <div className="mt-3 space-y-3">
          <Alert tone="warning" title="A long-lived key">
            An access key works until someone deletes it, from anywhere it leaks to. Prefer the role above; if you use a key, keep it only in GitHub&apos;s encrypted secrets and rotate it.
          </Alert>
          <NameAndCreate id="ci-user-name" name="userName" label="User name" errors={errors.userName} value={userName ?? suggestedName(`${namePart}-key`, repo)} onChange={setUserName}>
            <Button {...user.buttonProps} variant="secondary" disabled={pending} className={errors.userName ? 'mb-6' : undefined}>
              {user.pending ? 'Creating…' : 'Create the user and key'}
            </Button>
          </NameAndCreate>
          <Outcome state={user.state} />
          {user.state?.ok ? <UserResult outcome={user.state.data} /> : null}
        </div>
      </details>
    </form>
  );
}

/** The IAM name to create (suggested from the GitHub repository until edited) beside the button that creates it. */
function NameAndCreate({
  id,
  name,
  label,
  errors,
  value,
  onChange,
  children,
}: {
  id: string;
  name: string;
  label: string;
  errors: string[] | undefined;
  value: string;
  onChange: (value: string) => void;
  children: React.ReactNode;
}) {
  return (
    <div className="flex items-end gap-3">
      <Field label={label} htmlFor={id} errors={errors} className="flex-1">
        <input
          id={id}
          name={name}
          className={`${inputClass} font-mono`}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={Boolean(errors)}
        />
      </Field>
      {children}
    </div>
  );
}

function RoleResult({ outcome }: { outcome: RoleOutcome }) {
  if (outcome.status === 'manual') return <Manual fallback={outcome} workflow={outcome.workflow} />;
  return (
    <div className="space-y-3" data-testid="ci-role-result">
      <p className="flex items-center gap-1 text-sm text-zinc-700 dark:text-zinc-300">
        Role <span className="font-mono text-xs" data-testid="ci-role-arn">{outcome.roleArn}</span>
        <CopyButton value={outcome.roleArn} label="Copy role ARN" />
      </p>
      <CodeBlock label="Save as .github/workflows/deploy.yml" text={outcome.workflow} testId="ci-workflow" />
    </div>
  );
}

function UserResult({ outcome }: { outcome: UserOutcome }) {
  if (outcome.status === 'manual') return <Manual fallback={outcome} workflow={outcome.workflow} />;
  return (
    <div className="space-y-3" data-testid="ci-user-result">
      <Alert tone="warning" title="Copy the secret now">
        Berth does not keep it: it is shown here once and is gone when you leave or reload this page. Add both values as repository secrets in GitHub (Settings → Secrets and variables → Actions).
      </Alert>
      {outcome.secrets.map((s) => (
        <div key={s.name} className="flex items-center gap-2">
          <span className="w-56 font-mono text-xs text-zinc-500 dark:text-zinc-400">{s.name}</span>
          <code className="min-w-0 flex-1 rounded bg-zinc-100 px-2 py-1 font-mono text-xs break-all text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100" data-testid={`ci-secret-${s.name}`}>
            {s.value}
          </code>
          <CopyButton value={s.value} label={`Copy ${s.name}`} />
        </div>
      ))}
      <CodeBlock label="Save as .github/workflows/deploy.yml" text={outcome.workflow} testId="ci-workflow" />
    </div>
  );
}

/** Berth may not change IAM: what it did, what it lacks, and the documents and commands that do the rest. */
function Manual({ fallback, workflow }: { fallback: ManualFallback; workflow: string }) {
  return (
    <div className="space-y-3" data-testid="ci-manual">
      <Alert tone="warning" title="Berth may not change IAM">
        Its AWS identity lacks <span className="font-mono font-semibold" data-testid="ci-missing-permission">{fallback.missingPermission}</span>.
        {fallback.made.length ? ` It ${fallback.made.map((m) => `${m.how} ${m.what}`).join(', ')} before stopping.` : ' It changed nothing.'} Add the permission to the
        identity Berth runs as and try again, or run these commands as someone who may (in an empty folder, with the files below saved in it).
      </Alert>
      {fallback.plan.files.map((f) => (
        <CodeBlock key={f.name} label={f.name} text={f.text} />
      ))}
      {fallback.plan.steps.map((s) => (
        <CommandBlock key={s.command} label={`${s.label} (needs ${s.permission})`} command={s.command} />
      ))}
      {fallback.plan.steps.some((s) => s.permission === 'iam:CreateOpenIDConnectProvider') ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          An older AWS CLI may ask for --thumbprint-list when creating the provider: IAM no longer uses a thumbprint for GitHub, so update the CLI, or create the provider in the IAM console.
        </p>
      ) : null}
      <CodeBlock label="Then save as .github/workflows/deploy.yml" text={workflow} testId="ci-workflow" />
    </div>
  );
}
