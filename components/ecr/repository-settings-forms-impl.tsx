'use client';

import { useMemo, useState } from 'react';
import {
  deleteLifecycleAction,
  deleteRepositoryAction,
  deleteRepositoryPolicyAction,
  previewLifecycleAction,
  saveLifecycleAction,
  saveRepositoryPolicyAction,
  updateSettingsAction,
} from '@/app/(console)/ecr/[...name]/actions';
import { fieldErrors, Outcome, useFormAction, type FormResult } from '@/components/ui/action-state';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field, inputBase, inputClass } from '@/components/ui/field';
import type { ActionResult } from '@/lib/auth/action';
import type { PreviewResult } from '@/lib/ecr/policies';
import { formatDateTime } from '@/lib/ui/format';
import {
  expireUntaggedRule,
  keepLastImagesRule,
  lifecyclePolicyProblems,
  lifecyclePolicyText,
  principalArn,
  repositoryAccessStatement,
  type LifecycleRule,
} from '@/lib/validation/ecr-policy';
import { policyProblems, withStatement } from '@/lib/validation/policy';

function Hidden({ region, name }: { region: string; name: string }) {
  return (
    <>
      <input type="hidden" name="region" value={region} />
      <input type="hidden" name="name" value={name} />
    </>
  );
}

type DocAction = (prev: FormResult, form: FormData) => Promise<ActionResult<undefined>>;

/**
 * A JSON document kept on the repository (a policy): its text, a save action
 * and a remove action that also clears the editor; the page refreshes after
 * either. `outcome` is the answer of whichever ran last.
 */
function useDocument(initial: string | null, save: DocAction, remove: DocAction) {
  const [text, setText] = useState(initial ?? '');
  const [last, setLast] = useState<'save' | 'remove'>('save');
  const saved = useFormAction(save, { refresh: true });
  const removed = useFormAction(remove, { refresh: true, onSuccess: () => setText('') });
  return {
    text,
    setText,
    outcome: last === 'remove' ? removed.state : saved.state,
    saving: saved.pending,
    removing: removed.pending,
    formProps: { ...saved.formProps, onSubmitCapture: () => setLast('save') },
    removeProps: { ...removed.buttonProps, onClickCapture: () => setLast('remove') },
  };
}

function JsonTextarea({ id, label, value, onChange, problems, placeholder }: { id: string; label: string; value: string; onChange: (v: string) => void; problems: string[]; placeholder: string }) {
  return (
    <Field label={label} htmlFor={id} errors={problems}>
      <textarea id={id} name="policy" value={value} onChange={(e) => onChange(e.target.value)} rows={14} spellCheck={false} className={`${inputClass} h-auto py-2 font-mono text-xs`} placeholder={placeholder} />
    </Field>
  );
}

export function SettingsForm({ region, name, tagMutability, scanOnPush }: { region: string; name: string; tagMutability: string; scanOnPush: boolean }) {
  const { state, pending, formProps } = useFormAction(updateSettingsAction, { refresh: true });
  return (
    <form {...formProps} className="space-y-4" data-testid="settings-form">
      <Hidden region={region} name={name} />
      <Field label="Tag mutability" htmlFor="tagMutability" hint="Immutable tags stop a push from moving an existing tag to another image.">
        <select id="tagMutability" name="tagMutability" defaultValue={tagMutability} className={`${inputBase} w-60`}>
          <option value="MUTABLE">Mutable</option>
          <option value="IMMUTABLE">Immutable</option>
        </select>
      </Field>
      <label className="flex items-center gap-3 text-sm">
        <input type="checkbox" name="scanOnPush" defaultChecked={scanOnPush} className="size-4 accent-brand-600" />
        Scan images for vulnerabilities when they are pushed
      </label>
      <Outcome state={state} listField="policy" />
      <Button type="submit" disabled={pending}>{pending ? 'Saving…' : 'Save settings'}</Button>
    </form>
  );
}

export function PolicyEditor({ region, name, initial }: { region: string; name: string; initial: string | null }) {
  const { text, setText, outcome, saving: pending, removing: deleting, formProps, removeProps } = useDocument(initial, saveRepositoryPolicyAction, deleteRepositoryPolicyAction);
  const [access, setAccess] = useState<'pull' | 'push'>('pull');
  const [principal, setPrincipal] = useState('');
  const problems = useMemo(() => (text.trim() ? policyProblems(text, 'resource') : []), [text]);
  const principalOk = principalArn(principal) !== null;

  return (
    <div className="space-y-4" data-testid="policy-editor">
      <div className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
        <p className="text-sm font-medium">Add a template statement</p>
        <div className="mt-2 flex flex-wrap items-end gap-2">
          <select aria-label="Access" value={access} onChange={(e) => setAccess(e.target.value as 'pull' | 'push')} className={`${inputBase} w-40`}>
            <option value="pull">Allow pull</option>
            <option value="push">Allow push and pull</option>
          </select>
          <input
            aria-label="Account id or principal ARN"
            placeholder="123456789012 or arn:aws:iam::…:role/ci"
            value={principal}
            onChange={(e) => setPrincipal(e.target.value)}
            className={`${inputBase} w-96 font-mono`}
          />
          <Button type="button" variant="secondary" disabled={!principalOk} onClick={() => setText(withStatement(problems.length ? '' : text, repositoryAccessStatement(access, principal)))}>
            Add statement
          </Button>
        </div>
        {principal && !principalOk ? <p className="mt-1 text-xs text-red-600 dark:text-red-400">Give a 12-digit account id or an IAM user or role ARN.</p> : null}
      </div>
      <form {...formProps} className="space-y-3">
        <Hidden region={region} name={name} />
        <input type="hidden" name="basis" value={initial ?? ''} />
        <JsonTextarea id="policy" label="Repository policy (JSON)" value={text} onChange={setText} problems={problems} placeholder="No repository policy: only identity policies in this account grant access." />
        <Outcome state={outcome} listField="policy" />
        <div className="flex gap-2">
          <Button type="submit" disabled={pending || !text.trim() || problems.length > 0}>{pending ? 'Saving…' : 'Save policy'}</Button>
          {initial ? (
            <Button {...removeProps} variant="secondary" disabled={deleting}>{deleting ? 'Removing…' : 'Remove policy'}</Button>
          ) : null}
        </div>
      </form>
    </div>
  );
}

export function LifecycleEditor({ region, name, initial }: { region: string; name: string; initial: string | null }) {
  const { text, setText, outcome, saving: pending, removing: deleting, formProps, removeProps } = useDocument(initial, saveLifecycleAction, deleteLifecycleAction);
  const [keep, setKeep] = useState(30);
  const [days, setDays] = useState(14);
  const { state: preview, pending: previewing, buttonProps: previewProps } = useFormAction<PreviewResult>(previewLifecycleAction);
  const problems = useMemo(() => (text.trim() ? lifecyclePolicyProblems(text) : []), [text]);

  const addRule = (make: (priority: number) => LifecycleRule) => {
    let rules: LifecycleRule[] = [];
    try {
      rules = text.trim() ? ((JSON.parse(text) as { rules?: LifecycleRule[] }).rules ?? []) : [];
    } catch {
      rules = [];
    }
    const priority = rules.reduce((m, r) => Math.max(m, r.rulePriority ?? 0), 0) + 1;
    setText(lifecyclePolicyText([...rules, make(priority)]));
  };

  return (
    <div className="space-y-4" data-testid="lifecycle-editor">
      <div className="flex flex-wrap items-center gap-3 rounded-lg border border-zinc-200 p-4 text-sm dark:border-zinc-800">
        <span className="font-medium">Add a rule:</span>
        <span className="flex items-center gap-2">
          keep the last
          <input aria-label="Images to keep" type="number" min={1} value={keep} onChange={(e) => setKeep(Number(e.target.value))} className={`${inputBase} w-20`} />
          images
          <Button type="button" size="sm" variant="secondary" onClick={() => addRule((p) => keepLastImagesRule(keep, p))}>Add</Button>
        </span>
        <span className="flex items-center gap-2">
          expire untagged after
          <input aria-label="Days" type="number" min={1} value={days} onChange={(e) => setDays(Number(e.target.value))} className={`${inputBase} w-20`} />
          days
          <Button type="button" size="sm" variant="secondary" onClick={() => addRule((p) => expireUntaggedRule(days, p))}>Add</Button>
        </span>
      </div>
      <form {...formProps} className="space-y-3">
        <Hidden region={region} name={name} />
        <input type="hidden" name="basis" value={initial ?? ''} />
        <JsonTextarea id="lifecycle" label="Lifecycle policy (JSON)" value={text} onChange={setText} problems={problems} placeholder="No lifecycle policy: images stay until someone deletes them." />
        <Outcome state={outcome} listField="policy" />
        <div className="flex gap-2">
          <Button {...previewProps} variant="secondary" disabled={previewing || !text.trim() || problems.length > 0}>
            {previewing ? 'Previewing…' : 'Preview what expires'}
          </Button>
          <Button type="submit" disabled={pending || !text.trim() || problems.length > 0}>{pending ? 'Saving…' : 'Save lifecycle policy'}</Button>
          {initial ? <Button {...removeProps} variant="secondary" disabled={deleting}>Remove</Button> : null}
        </div>
      </form>
      {preview ? (
        preview.ok ? (
          <div className="rounded-lg border border-zinc-200 dark:border-zinc-800" data-testid="lifecycle-preview">
            <p className="border-b border-zinc-100 px-4 py-2 text-sm font-medium dark:border-zinc-800">
              {preview.data.total === 0 ? 'Nothing would expire under these rules.' : `${preview.data.total} image${preview.data.total === 1 ? '' : 's'} would expire:`}
            </p>
            {preview.data.saving ? <p className="border-b border-zinc-100 px-4 py-2 text-sm text-zinc-600 dark:border-zinc-800 dark:text-zinc-400" data-testid="saving">{preview.data.saving} Layers other images share stay stored.</p> : null}
            {preview.data.expiring.length ? (
              <ul className="max-h-64 divide-y divide-zinc-100 overflow-auto text-sm dark:divide-zinc-800">
                {preview.data.expiring.map((e) => (
                  <li key={e.digest} className="flex items-center gap-3 px-4 py-1.5">
                    <span className="font-mono text-xs">{e.digest.slice(7, 19)}</span>
                    <span className="flex gap-1">{e.tags.length ? e.tags.map((t) => <Badge key={t}>{t}</Badge>) : <span className="text-xs text-zinc-400 italic">untagged</span>}</span>
                    <span className="ml-auto text-xs text-zinc-500">pushed {formatDateTime(e.pushedAt)} · rule {e.rulePriority}</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : (
          <Outcome state={preview} listField="policy" />
        )
      ) : null}
    </div>
  );
}

export function DeleteRepositoryForm({ region, name, imageCount, saving }: { region: string; name: string; imageCount: number; saving?: string }) {
  const [confirm, setConfirm] = useState('');
  const { state, pending, formProps } = useFormAction(deleteRepositoryAction);
  return (
    <form {...formProps} className="space-y-3" data-testid="delete-repository-form">
      <Hidden region={region} name={name} />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {imageCount > 0
          ? `The repository holds ${imageCount.toLocaleString('en-US')} image${imageCount === 1 ? '' : 's'}. Deleting it deletes them all, and anything that pulls them will fail.`
          : 'The repository is empty.'}
      </p>
      {saving ? <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="saving">{saving} ECR storage of its images.</p> : null}
      {imageCount > 0 ? (
        <label className="flex items-center gap-3 text-sm">
          <input type="checkbox" name="force" className="size-4 accent-red-600" /> Also delete its {imageCount.toLocaleString('en-US')} images
        </label>
      ) : null}
      <Field label={`Type ${name} to confirm`} htmlFor="confirm-name" errors={fieldErrors(state)?.confirm}>
        <input id="confirm-name" name="confirm" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" className={`${inputClass} font-mono`} />
      </Field>
      {/* The confirm field's own error says it all; any other refusal shows here. */}
      <Outcome state={state && !state.ok && fieldErrors(state)?.confirm ? undefined : state} />
      <Button type="submit" variant="danger" disabled={pending || confirm !== name}>{pending ? 'Deleting…' : 'Delete repository'}</Button>
    </form>
  );
}
