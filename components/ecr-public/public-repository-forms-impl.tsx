'use client';

import { useState } from 'react';
import { deletePublicRepositoryAction, updateCatalogDataAction } from '@/app/(console)/ecr/-/public/[...name]/actions';
import { fieldErrors, Outcome, useFormAction } from '@/components/ui/action-state';
import { Button } from '@/components/ui/button';
import { Field, inputClass } from '@/components/ui/field';
import type { CatalogData } from '@/lib/ecr-public/repositories';
import { CatalogFields } from './catalog-fields';

export function CatalogDataForm({ name, initial }: { name: string; initial: CatalogData }) {
  const { state, pending, formProps } = useFormAction(updateCatalogDataAction, { refresh: true });
  return (
    <form {...formProps} className="space-y-5" noValidate data-testid="catalog-data-form">
      <input type="hidden" name="name" value={name} />
      <CatalogFields initial={initial} errors={fieldErrors(state)} />
      {initial.logoUrl ? (
        <p className="text-xs text-amber-700 dark:text-amber-300">
          This repository has a logo, which Berth cannot upload: saving here sends the catalog data without it, and ECR Public may remove it.
        </p>
      ) : null}
      <Outcome state={state} />
      <Button type="submit" disabled={pending}>{pending ? 'Saving…' : 'Save catalog data'}</Button>
    </form>
  );
}

export function DeletePublicRepositoryForm({ name, imageCount, tagCount }: { name: string; imageCount: number; tagCount: number }) {
  const [confirm, setConfirm] = useState('');
  const { state, pending, formProps } = useFormAction(deletePublicRepositoryAction);
  const images = `${imageCount.toLocaleString('en-US')} image${imageCount === 1 ? '' : 's'}`;
  return (
    <form {...formProps} className="space-y-3" data-testid="delete-public-repository-form">
      <input type="hidden" name="name" value={name} />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {imageCount > 0
          ? `Deleting it deletes its ${images} (${tagCount.toLocaleString('en-US')} tag${tagCount === 1 ? '' : 's'}), its catalog data and its policy. Anyone who pulls them, anywhere, will get an error.`
          : 'The repository holds no images. Deleting it deletes its catalog data and its policy; its name becomes free again.'}
      </p>
      {imageCount > 0 ? (
        <label className="flex items-center gap-3 text-sm">
          <input type="checkbox" name="force" className="size-4 accent-red-600" /> Also delete its {images}
        </label>
      ) : null}
      <Field label={`Type ${name} to confirm`} htmlFor="confirm-name" errors={fieldErrors(state)?.confirm}>
        <input id="confirm-name" name="confirm" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" className={`${inputClass} font-mono`} />
      </Field>
      <Outcome state={state && !state.ok && fieldErrors(state)?.confirm ? undefined : state} />
      <Button type="submit" variant="danger" disabled={pending || confirm !== name}>{pending ? 'Deleting…' : 'Delete public repository'}</Button>
    </form>
  );
}
