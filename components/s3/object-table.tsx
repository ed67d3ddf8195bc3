'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { deleteObjectsAction, restoreVersionAction } from '@/app/(console)/s3/[bucket]/actions';
import { useFormAction } from '@/components/ui/action-state';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, Td, Th, Tr } from '@/components/ui/table';
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
async function checkedDownload(e: React.MouseEvent<HTMLAnchorElement>, href: string, refuse: (message: string | null) => void) {
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

export function ObjectTable({ bucket, prefix, rows: given, isAdmin, versions, empty }: { bucket: string; prefix: string; rows: Row[]; isAdmin: boolean; versions: boolean; empty: React.ReactNode }) {
  const rows: ShownRow[] = useMemo(() => given.map((r) => ({ ...r, id: `${r.kind}:${r.key}:${r.versionId ?? ''}`, name: r.key.slice(prefix.length) })), [given, prefix]);
  const [refused, setRefused] = useState<Record<string, string>>({});
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  // A refusal keeps the selection and the question open, so the person can retry
  // what is left (the page already shows the objects that did go).
  const { state, pending, formProps } = useFormAction(deleteObjectsAction, {
    refresh: true,
    onSuccess: () => {
      setConfirming(false);
      setSelected(new Set());
    },
  });
  const { state: restored, pending: restoring, formProps: restoreProps } = useFormAction(restoreVersionAction, { refresh: true });

  const selectable = rows.filter((r) => r.kind !== 'folder');
  const chosen = selectable.filter((r) => selected.has(r.id));
  const outcome = restored ?? state;

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
            <form {...formProps} className="rounded-lg border border-red-200 bg-red-50/60 p-4 dark:border-red-900/60 dark:bg-red-950/30" data-testid="confirm-delete-objects">
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
          <tbody data-testid="objects">
            {rows.map((r) => (
              <Tr key={r.id}>
                {isAdmin ? (
                  <Td>
                    {r.kind !== 'folder' ? (
                      <input
                        type="checkbox"
                        aria-label={`Select ${r.name}${r.kind === 'version' ? ` version ${r.versionId}` : ''}`}
                        checked={selected.has(r.id)}
                        onChange={() =>
                          setSelected((prev) => {
                            const next = new Set(prev);
                            if (next.has(r.id)) next.delete(r.id);
                            else next.add(r.id);
                            return next;
                          })
                        }
                        className="size-4 accent-brand-600"
                      />
                    ) : null}
                  </Td>
                ) : null}
                <Td className="max-w-md">
                  {r.kind === 'folder' ? (
                    <Link href={r.href ?? '#'} className="inline-flex items-center gap-2 font-medium text-brand-700 hover:underline dark:text-brand-300">
                      <svg viewBox="0 0 20 20" className="size-4 text-amber-500" fill="currentColor" aria-hidden><path d="M2 5.5A1.5 1.5 0 0 1 3.5 4h4l1.5 2h7.5A1.5 1.5 0 0 1 18 7.5v7a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 2 14.5v-9Z" /></svg>
                      {r.name}
                    </Link>
                  ) : (
                    <span className={r.deleteMarker ? 'text-zinc-400 line-through' : 'font-mono text-xs break-all'}>{r.name}</span>
                  )}
                  {refused[r.id] ? (
                    <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300" data-testid="download-problem">
                      {refused[r.id]}
                    </p>
                  ) : null}
                </Td>
                {versions ? (
                  <Td className="whitespace-nowrap">
                    {r.kind === 'version' ? (
                      <span className="flex items-center gap-1.5">
                        <span className="font-mono text-xs text-zinc-500" title={r.versionId}>{(r.versionId ?? '').slice(0, 12)}</span>
                        {r.isLatest ? <Badge tone="green">latest</Badge> : null}
                        {r.deleteMarker ? <Badge tone="amber">delete marker</Badge> : null}
                      </span>
                    ) : null}
                  </Td>
                ) : null}
                <Td className="text-right whitespace-nowrap tabular-nums">{r.kind === 'folder' || r.deleteMarker ? '—' : formatBytes(r.size)}</Td>
                <Td className="whitespace-nowrap text-zinc-600 dark:text-zinc-400">{r.kind === 'folder' ? '—' : formatDateTime(r.lastModified)}</Td>
                <Td className="text-xs text-zinc-500">{r.kind === 'folder' ? '' : r.storageClass}</Td>
                <Td className="text-right whitespace-nowrap">
                  {r.kind !== 'folder' && !r.deleteMarker ? (
                    <span className="flex items-center justify-end gap-2">
                      {ARCHIVED.includes(r.storageClass ?? '') ? (
                        <span className="text-xs text-zinc-500" title="Objects in Glacier Flexible Retrieval and Deep Archive must be restored (for example with aws s3api restore-object) before they can be downloaded.">
                          Archived
                        </span>
                      ) : (
                        <a
                          href={downloadHref(bucket, r)}
                          className="text-sm text-brand-700 hover:underline dark:text-brand-300"
                          onClick={(e) =>
                            void checkedDownload(e, downloadHref(bucket, r), (message) =>
                              setRefused((prev) => {
                                const next = { ...prev };
                                if (message) next[r.id] = message;
                                else delete next[r.id];
                                return next;
                              }),
                            )
                          }
                        >
                          Download
                        </a>
                      )}
                      {isAdmin && r.kind === 'version' && !r.isLatest ? (
                        <form {...restoreProps}>
                          <input type="hidden" name="bucket" value={bucket} />
                          <input type="hidden" name="key" value={r.key} />
                          <input type="hidden" name="versionId" value={r.versionId} />
                          <Button type="submit" size="sm" variant="secondary" disabled={restoring} aria-label={`Restore ${r.name} version ${r.versionId}`}>Restore</Button>
                        </form>
                      ) : null}
                    </span>
                  ) : null}
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
