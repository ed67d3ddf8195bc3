'use client';

import { useState } from 'react';
import { createPublicRepositoryAction } from '@/app/(console)/ecr/-/new-public/actions';
import { fieldErrors, Outcome, useFormAction } from '@/components/ui/action-state';
import { Button } from '@/components/ui/button';
import { Field, inputClass } from '@/components/ui/field';
import { publicRepositoryNameProblems } from '@/lib/validation/ecr-public-rules';
import { CatalogFields } from './catalog-fields';

export function CreatePublicRepositoryForm({ registryUri }: { registryUri: string | null }) {
  const { state, pending, formProps } = useFormAction(createPublicRepositoryAction);
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const live = touched || name.length > 0 ? publicRepositoryNameProblems(name.trim()) : [];
  const server = fieldErrors(state);
  const nameErrors = live.length ? live : (server?.name ?? []);
  return (
    <form {...formProps} className="space-y-6" noValidate data-testid="create-public-repository-form">
      <Field
        label="Repository name"
        htmlFor="repo-name"
        errors={nameErrors}
        hint={
          registryUri ? (
            <>Lowercase letters, digits and . _ - /. URI: <span className="font-mono">{registryUri}/{name.trim() || 'name'}</span></>
          ) : (
            'Lowercase letters, digits and . _ - /. The first public repository also creates the registry and its default alias.'
          )
        }
      >
        <input
          id="repo-name"
          name="name"
          value={name}
          autoFocus
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setName(e.target.value)}
          onBlur={() => setTouched(true)}
          className={`${inputClass} font-mono`}
          aria-invalid={nameErrors.length > 0}
          aria-describedby="repo-name-errors"
        />
      </Field>
      <CatalogFields errors={server} />
      <Outcome state={state} />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending || (name.length > 0 && live.length > 0)}>
          {pending ? 'Creating…' : 'Create public repository'}
        </Button>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">Anyone will be able to pull its images.</span>
      </div>
    </form>
  );
}
