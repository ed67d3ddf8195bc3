'use client';

import { useState } from 'react';
import { createRepositoryAction } from '@/app/(console)/ecr/-/new/actions';
import { fieldErrors, Outcome, useFormAction } from '@/components/ui/action-state';
import { Button } from '@/components/ui/button';
import { Field, inputClass } from '@/components/ui/field';
import { RadioCards } from '@/components/ui/radio-cards';
import { RepositoryNameField, useRepositoryName } from './repository-name-field';
import { repositoryNameProblems } from '@/lib/validation/ecr-rules';

export function CreateRepositoryForm({ region, registryPrefix }: { region: string; registryPrefix: string }) {
  const { state, pending, formProps } = useFormAction(createRepositoryAction);
  const [mutability, setMutability] = useState<'MUTABLE' | 'IMMUTABLE'>('MUTABLE');
  const [encryption, setEncryption] = useState<'AES256' | 'KMS'>('AES256');

  const server = fieldErrors(state);
  const nameField = useRepositoryName(repositoryNameProblems, server?.name);

  return (
    <form {...formProps} className="space-y-6" noValidate data-testid="create-repository-form">
      <input type="hidden" name="region" value={region} />
      <RepositoryNameField
        field={nameField}
        hint={
          <>
            Lowercase letters, digits and . _ - /; a slash groups repositories (team/api). URI:{' '}
            <span className="font-mono">{registryPrefix}/{nameField.name.trim() || 'name'}</span>
          </>
        }
      />
      <RadioCards
        legend="Tag mutability"
        name="tagMutability"
        value={mutability}
        onChange={setMutability}
        options={[
          { value: 'MUTABLE', title: 'Mutable', description: 'A push can move a tag such as latest to a new image.' },
          { value: 'IMMUTABLE', title: 'Immutable', description: 'A tag, once pushed, always means the same image.' },
        ]}
      />
      <label className="flex items-start gap-3 text-sm">
        <input type="checkbox" name="scanOnPush" className="mt-0.5 size-4 accent-brand-600" />
        <span>
          <span className="font-medium">Scan on push</span>
          <span className="block text-zinc-500 dark:text-zinc-400">Scan every pushed image for known vulnerabilities (basic scanning).</span>
        </span>
      </label>
      <RadioCards
        legend="Encryption"
        name="encryption"
        value={encryption}
        onChange={setEncryption}
        options={[
          { value: 'AES256', title: 'AES-256', description: 'Encrypted with keys ECR manages. No setup.' },
          { value: 'KMS', title: 'AWS KMS', description: 'Encrypted with a KMS key, audited in CloudTrail.' },
        ]}
      />
      {encryption === 'KMS' ? (
        <Field label="KMS key (optional)" htmlFor="kms-key" errors={server?.kmsKey} hint="Empty uses the AWS managed key aws/ecr. Encryption cannot be changed after creation.">
          <input id="kms-key" name="kmsKey" className={`${inputClass} font-mono`} placeholder="alias/my-key or a key ARN" />
        </Field>
      ) : null}
      <Outcome state={state} />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending || nameField.invalid}>
          {pending ? 'Creating…' : 'Create repository'}
        </Button>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">In {region}</span>
      </div>
    </form>
  );
}
