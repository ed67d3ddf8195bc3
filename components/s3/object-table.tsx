'use client';

import Link from 'next/link';
import { useMemo, useRef, useState } from 'react';
import { deleteObjectsAction, restoreVersionAction } from '@/app/(console)/s3/[bucket]/actions';
import { useFormAction } from '@/components/ui/action-state';
import { useKeepAt } from '@/components/ui/kept-outcomes';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Table, Th } from '@/components/ui/table';
import { formatBytes, formatDateTime } from '@/lib/ui/format';

/** Classes whose objects S3 will not return until they are restored from the archive. */
const ARCHIVED = ['GLACIER', 'DEEP_ARCHIVE'];

/**
 * One row as the page hands it over: only what the table shows or sends back.
 * Its name (the key after the folder's prefix) and its React key are derived
 * here, so 200 rows do not carry each key three times in the RSC payload.
 */
export interface Row {
  kind: 'folder' | 'object' | 'version';
  key: string;
  /** Folders: the link into them, with the page's other parameters. */
  href?: string;
  size?: number;
  lastModified?: string | null;
  storageClass?: string;
  versionId?: string;
  isLatest?: boolean;
  deleteMarker?: boolean;
}

function downloadHref(bucket: string, row: Row) {
  const q = new URLSearchParams({ key: row.key });
  if (row.kind === 'version' && row.versionId) q.set('versionId', row.versionId);
  return `/s3/${bucket}/object?${q.toString()}`;
}

/**
 * Asks for the file before letting the browser save it: when S3 refuses (the
 * object is gone, archived, or Berth may not read it) the sentence appears in
 * the row, instead of the browser saving the error as a file. The answer's
 * headers are enough to know; the body is not read, and the real download
 * follows as a plain navigation that the route answers as an attachment.
 */
async function checkedDownload(e: React.MouseEvent<HTMLElement>, href: string, refuse: (message: string | null) => void) {
  // A modified click (new tab, save link) is the browser's to handle.
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  const probe = new AbortController();
  try {
    const res = await fetch(href, { signal: probe.signal, cache: 'no-store' });
    if (res.ok) {
      probe.abort();
      refuse(null);
      window.location.assign(href);
      return;
    }
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    refuse(body?.message ?? `The download failed (${res.status}).`);
  } catch {
    refuse('The connection to Berth failed. Try again.');
  }
}

type ShownRow = Row & { id: string; name: string };

const ARCHIVED_HINT = 'Objects in Glacier Flexible Retrieval and Deep Archive must be restored (for example with aws s3api restore-object) before they can be downloaded.';

const FOLDER_ICON = (
  <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden>
    <path d="M2 5.5A1.5 1.5 0 0 1 3.5 4h4l1.5 2h7.5A1.5 1.5 0 0 1 18 7.5v7a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 2 14.5v-9Z" />
  </svg>
);

// Cell styles are given once, for the table body (.object-rows in
// app/globals.css), by data attribute, not as classes on each of up to 1,000
// cells per page (as components/ui/table.tsx does for padding and borders):
// this page is the largest Berth renders, and the repeated classes were most
// of its HTML.

export function ObjectTable({ bucket, prefix, rows: given, isAdmin, versions, empty }: { bucket: string; prefix: string; rows: Row[]; isAdmin: boolean; versions: boolean; empty: React.ReactNode }) {
  const rows: ShownRow[] = useMemo(() => given.map((r) => ({ ...r, id: `${r.kind}:${r.key}:${r.versionId ?? ''}`, name: r.key.slice(prefix.length) })), [given, prefix]);
  const [refused, setRefused] = useState<Record<string, string>>({});
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  // A refusal keeps the selection and the question open, so the person can retry
  // what is left (the page already shows the objects that did go).
  // Both forms keep their answer under one name: a table mounted again by a slow
  // refresh (components/ui/kept-outcomes.tsx) starts from the latest of the two.
  const keep = useKeepAt('objects');
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

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  // One listener on the table body for every Download link and Restore button
  // (event delegation), rather than handlers per row for React to attach while
  // hydrating. Both name their row by its index on this page.
  const onBodyClick = (e: React.MouseEvent<HTMLElement>) => {
    const target = e.target as Element;
    const restore = target.closest?.('button[data-restore]');
    if (restore instanceof HTMLButtonElement) {
      const row = rows[Number(restore.dataset.restore)];
      const form = restoreForm.current;
      if (!row || !form) return;
      (form.elements.namedItem('key') as HTMLInputElement).value = row.key;
      (form.elements.namedItem('versionId') as HTMLInputElement).value = row.versionId ?? '';
      setRestoreSentLast(true);
      form.requestSubmit();
      return;
    }
    const link = target.closest?.('a[data-download]');
    if (!(link instanceof HTMLAnchorElement)) return;
    const id = rows[Number(link.dataset.download)]?.id;
    if (!id) return;
    void checkedDownload(e, link.getAttribute('href')!, (message) =>
      setRefused((prev) => {
        const next = { ...prev };
        if (message) next[id] = message;
        else delete next[id];
        return next;
      }),
    );
  };

  const selectable = rows.filter((r) => r.kind !== 'folder');
  const chosen = selectable.filter((r) => selected.has(r.id));
  const outcome = restoreSentLast ? (restored ?? state) : (state ?? restored);

  return (
    <>
      {outcome || (isAdmin && selected.size > 0) ? (
        <div className="space-y-3 border-b border-zinc-100 px-5 py-3 dark:border-zinc-800">
          {outcome ? <Alert tone={outcome.ok ? 'success' : 'error'}>{outcome.message}</Alert> : null}
          {isAdmin && selected.size > 0 && !confirming ? (
            <div className="flex items-center gap-3">
              <span className="text-sm">{selected.size} selected</span>
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
              className="rounded-lg border border-red-200 bg-red-50/60 p-4 dark:border-red-900/60 dark:bg-red-950/30" data-testid="confirm-delete-objects">
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
      {isAdmin && versions ? (
        <form ref={restoreForm} {...restoreProps} hidden>
          <input type="hidden" name="bucket" value={bucket} />
          <input type="hidden" name="key" defaultValue="" />
          <input type="hidden" name="versionId" defaultValue="" />
        </form>
      ) : null}
      {rows.length === 0 ? (
        empty
      ) : (
        <Table>
          <thead>
            <tr>
              {isAdmin ? <Th className="w-10"><span className="sr-only">Select</span></Th> : null}
              <Th>Name</Th>
              {versions ? <Th>Version</Th> : null}
              <Th className="text-right">Size</Th>
              <Th>Last modified</Th>
              <Th>Storage class</Th>
              <Th><span className="sr-only">Actions</span></Th>
            </tr>
          </thead>
          <tbody data-testid="objects" className="object-rows" onClick={onBodyClick}>
            {rows.map((r, i) => (
              <tr key={r.id}>
                {isAdmin ? (
                  <td>
                    {r.kind !== 'folder' ? (
                      <input
                        type="checkbox"
                        aria-label={`Select ${r.name}${r.kind === 'version' ? ` version ${r.versionId}` : ''}`}
                        checked={selected.has(r.id)}
                        onChange={() => toggle(r.id)}
                      />
                    ) : null}
                  </td>
                ) : null}
                <td className="max-w-md">
                  {r.kind === 'folder' ? (
                    <Link href={r.href ?? '#'} data-folder="">
                      {FOLDER_ICON}
                      {r.name}
                    </Link>
                  ) : (
                    <span data-key={r.deleteMarker ? 'gone' : ''}>{r.name}</span>
                  )}
                  {refused[r.id] ? (
                    <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300" data-testid="download-problem">
                      {refused[r.id]}
                    </p>
                  ) : null}
                </td>
                {versions ? (
                  <td data-ver="">
                    {r.kind === 'version' ? (
                      <>
                        <span data-vid="" title={r.versionId}>{(r.versionId ?? '').slice(0, 12)}</span>
                        {r.isLatest ? <span data-badge="latest">latest</span> : null}
                        {r.deleteMarker ? <span data-badge="marker">delete marker</span> : null}
                      </>
                    ) : null}
                  </td>
                ) : null}
                <td data-num="">{r.kind === 'folder' || r.deleteMarker ? '—' : formatBytes(r.size)}</td>
                <td data-dim="">{r.kind === 'folder' ? '—' : formatDateTime(r.lastModified)}</td>
                <td data-sc="">{r.kind === 'folder' ? '' : r.storageClass}</td>
                <td data-act="">
                  {r.kind !== 'folder' && !r.deleteMarker ? (
                    ARCHIVED.includes(r.storageClass ?? '') ? (
                      <span data-archived="" title={ARCHIVED_HINT}>Archived</span>
                    ) : (
                      <>
                        <a href={downloadHref(bucket, r)} data-download={i}>Download</a>
                        {isAdmin && r.kind === 'version' && !r.isLatest ? (
                          <button type="button" data-restore={i} disabled={restoring} aria-label={`Restore ${r.name} version ${r.versionId}`}>Restore</button>
                        ) : null}
                      </>
                    )
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
