'use client';

import { createPublicRepositoryAction } from '@/app/(console)/ecr/-/new-public/actions';
import { fieldErrors, Outcome, useFormAction } from '@/components/ui/action-state';
import { Button } from '@/components/ui/button';
import { RepositoryNameField, useRepositoryName } from '@/components/ecr/repository-name-field';
import { publicRepositoryNameProblems } from '@/lib/validation/ecr-public-rules';
import { CatalogFields } from './catalog-fields';

export function CreatePublicRepositoryForm({ registryUri }: { registryUri: string | null }) {
  const { state, pending, formProps } = useFormAction(createPublicRepositoryAction);
  const server = fieldErrors(state);
  const nameField = useRepositoryName(publicRepositoryNameProblems, server?.name);
  return (
    <form {...formProps} className="space-y-6" noValidate data-testid="create-public-repository-form">
      <RepositoryNameField
        field={nameField}
        hint={
          registryUri ? (
            <>Lowercase letters, digits and . _ - /. URI: <span className="font-mono">{registryUri}/{nameField.name.trim() || 'name'}</span></>
          ) : (
            'Lowercase letters, digits and . _ - /. The first public repository also creates the registry and its default alias.'
          )
        }
      />
      <CatalogFields errors={server} />
      <Outcome state={state} />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending || nameField.invalid}>
          {pending ? 'Creating…' : 'Create public repository'}
        </Button>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">Anyone will be able to pull its images.</span>
      </div>
    </form>
  );
}
