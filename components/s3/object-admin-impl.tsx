'use client';

import { useEffect, useImperativeHandle, useRef, useState } from 'react';
import { deleteObjectsAction, restoreVersionAction } from '@/app/(console)/s3/[bucket]/actions';
import { useFormAction } from '@/components/ui/action-state';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useKeepAt } from '@/components/ui/kept-outcomes';
import type { ObjectAdminHandle, ShownRow } from './object-table';

/** The controls a row's markup holds, each naming its row by index in `data-<control>` (object-rows-html.ts). */
const CONTROLS = ['select', 'folder', 'download', 'restore'];

/**
 * What an admin can do with the object table's rows: tick them, delete the
 * ticked ones, restore an older version. Loaded only for admins
 * (components/s3/object-admin.tsx). The rows are one string of HTML written by
 * the table; their checkboxes and Restore buttons come disabled in it, and
 * this part enables them once it is there and keeps them in step with its
 * state. The table hands it the clicks on them through `handle`.
 */
export function ObjectAdminPanel({
  bucket,
  versions,
  rows,
  body,
  handle,
}: {
  bucket: string;
  versions: boolean;
  rows: ShownRow[];
  body: React.RefObject<HTMLTableSectionElement | null>;
  handle: React.Ref<ObjectAdminHandle>;
}) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  // Both forms keep their answer under one name: a table mounted again by a slow
  // refresh (components/ui/kept-outcomes.tsx) starts from the latest of the two.
  const keep = useKeepAt('objects');
  // A refusal keeps the selection and the question open, so the person can retry
  // what is left (the page already shows the objects that did go).
  const { state, pending, formProps } = useFormAction(deleteObjectsAction, {
    refresh: true,
    keep,
    onSuccess: () => {
      setConfirming(false);
      setSelected(new Set());
    },
  });
  const { state: restored, pending: restoring, formProps: restoreProps } = useFormAction(restoreVersionAction, { refresh: true, keep });
  // The sentence shown is the answer to the form sent last, the delete or a restore.
  const [restoreSentLast, setRestoreSentLast] = useState(false);
  // One form for every Restore button: a click fills in its row's key and version.
  const restoreForm = useRef<HTMLFormElement>(null);

  useImperativeHandle(
    handle,
    () => ({
      select(index, on) {
        const id = rows[index]?.id;
        if (!id) return;
        setSelected((prev) => {
          const next = new Set(prev);
          if (on) next.add(id);
          else next.delete(id);
          return next;
        });
      },
      restore(index) {
        const row = rows[index];
        const form = restoreForm.current;
        if (!row || !form || restoring) return;
        (form.elements.namedItem('key') as HTMLInputElement).value = row.key;
        (form.elements.namedItem('versionId') as HTMLInputElement).value = row.versionId ?? '';
        setRestoreSentLast(true);
        form.requestSubmit();
      },
    }),
    [rows, restoring],
  );

  // Keyboard focus survives new rows. The table writes its body anew when the
  // rows change (after a restore, a delete or an upload, which only an admin
  // makes), replacing every control in it, and a control that had focus takes
  // it with it. So this notes which row's control has focus, and gives the same
  // control of the same row (by its id) focus again.
  const focused = useRef<{ id: string; control: string } | null>(null);
  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const onFocusIn = (e: FocusEvent) => {
      const target = (e.target as Element).closest?.('[data-select],[data-folder],[data-download],[data-restore]');
      const control = target && CONTROLS.find((c) => target.hasAttribute(`data-${c}`));
      const id = control ? rows[Number(target.getAttribute(`data-${control}`))]?.id : undefined;
      focused.current = control && id ? { id, control } : null;
    };
    // Focus moved somewhere else on the page: nothing to give back.
    const onFocusOut = (e: FocusEvent) => {
      if (e.relatedTarget && !el.contains(e.relatedTarget as Node)) focused.current = null;
    };
    el.addEventListener('focusin', onFocusIn);
    el.addEventListener('focusout', onFocusOut);
    return () => {
      el.removeEventListener('focusin', onFocusIn);
      el.removeEventListener('focusout', onFocusOut);
    };
  }, [body, rows]);

  // The rows' controls, in step with this state; again when the table writes new rows.
  useEffect(() => {
    const el = body.current;
    if (!el) return;
    for (const box of el.querySelectorAll<HTMLInputElement>('input[data-select]')) {
      const id = rows[Number(box.dataset.select)]?.id;
      box.checked = id !== undefined && selected.has(id);
      box.disabled = false;
    }
    // While a restore runs the buttons say they are unavailable but keep focus
    // (aria-disabled; a click then does nothing): a disabled button would drop it.
    for (const button of el.querySelectorAll<HTMLButtonElement>('button[data-restore]')) {
      button.disabled = false;
      if (restoring) button.setAttribute('aria-disabled', 'true');
      else button.removeAttribute('aria-disabled');
    }
    const was = focused.current;
    if (was && (!document.activeElement || document.activeElement === document.body)) {
      const index = rows.findIndex((r) => r.id === was.id);
      if (index >= 0) el.querySelector<HTMLElement>(`[data-${was.control}="${index}"]`)?.focus();
    }
  }, [body, rows, selected, restoring]);

  // Only ticked rows still on the page count: a refresh after a partly refused delete drops the ones that went.
  const chosen = rows.filter((r) => r.kind !== 'folder' && selected.has(r.id));
  const outcome = restoreSentLast ? (restored ?? state) : (state ?? restored);

  return (
    <>
      {outcome || chosen.length > 0 ? (
        <div className="space-y-3 border-b border-zinc-100 px-5 py-3 dark:border-zinc-800">
          {outcome ? <Alert tone={outcome.ok ? 'success' : 'error'}>{outcome.message}</Alert> : null}
          {chosen.length > 0 && !confirming ? (
            <div className="flex items-center gap-3">
              <span className="text-sm">{chosen.length} selected</span>
              <Button variant="danger" size="sm" onClick={() => setConfirming(true)}>Delete selected</Button>
              <Button variant="ghost" size="sm" onClick={() => setSelected(new Set())}>Clear</Button>
            </div>
          ) : null}
          {confirming ? (
            <form
              {...formProps}
              onSubmit={(e) => {
                setRestoreSentLast(false);
                formProps.onSubmit(e);
              }}
              className="rounded-lg border border-red-200 bg-red-50/60 p-4 dark:border-red-900/60 dark:bg-red-950/30"
              data-testid="confirm-delete-objects"
            >
              <input type="hidden" name="bucket" value={bucket} />
              {chosen.map((r) => (
                <input key={r.id} type="hidden" name="items" value={JSON.stringify({ key: r.key, versionId: r.kind === 'version' ? r.versionId : undefined })} />
              ))}
              <p className="text-sm font-medium text-red-900 dark:text-red-200">
                {versions
                  ? `Delete ${chosen.length} version${chosen.length === 1 ? '' : 's'} for good? A deleted version cannot be restored.`
                  : `Delete ${chosen.length} object${chosen.length === 1 ? '' : 's'}? In a versioned bucket this adds a delete marker and keeps the old versions; otherwise the data is gone.`}
              </p>
              <ul className="mt-2 max-h-32 overflow-auto font-mono text-xs text-red-900/80 dark:text-red-200/80">
                {chosen.map((r) => <li key={r.id}>{r.key}{r.kind === 'version' ? ` (${r.versionId})` : ''}</li>)}
              </ul>
              <div className="mt-3 flex gap-2">
                <Button type="submit" variant="danger" size="sm" disabled={pending}>{pending ? 'Deleting…' : `Delete ${chosen.length}`}</Button>
                <Button type="button" variant="secondary" size="sm" onClick={() => setConfirming(false)}>Cancel</Button>
              </div>
            </form>
          ) : null}
        </div>
      ) : null}
      {versions ? (
        <form ref={restoreForm} {...restoreProps} hidden>
          <input type="hidden" name="bucket" value={bucket} />
          <input type="hidden" name="key" defaultValue="" />
          <input type="hidden" name="versionId" defaultValue="" />
        </form>
      ) : null}
    </>
  );
}
