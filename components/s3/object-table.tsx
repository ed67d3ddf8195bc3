'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Table, Th } from '@/components/ui/table';
import { ObjectAdminPanel } from './object-admin';
import { objectRowsHtml, type Row, type RowView } from './object-rows-html';

export type { Row } from './object-rows-html';

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

export type ShownRow = RowView & { id: string };

/** What the table hands the admin part (components/s3/object-admin-impl.tsx): clicks on a row's checkbox or Restore. */
export interface ObjectAdminHandle {
  select(index: number, on: boolean): void;
  restore(index: number): void;
}

// Cell styles are given once, for the table body (.object-rows in
// app/globals.css), by data attribute, not as classes on each of up to 1,000
// cells per page (as components/ui/table.tsx does for padding and borders):
// this page is the largest Berth renders, and the repeated classes were most
// of its HTML.

export function ObjectTable({ bucket, prefix, rows: given, isAdmin, versions, empty }: { bucket: string; prefix: string; rows: Row[]; isAdmin: boolean; versions: boolean; empty: React.ReactNode }) {
  const rows: ShownRow[] = useMemo(() => given.map((r) => ({ ...r, id: `${r.kind}:${r.key}:${r.versionId ?? ''}`, name: r.key.slice(prefix.length) })), [given, prefix]);
  const [refused, setRefused] = useState<Record<string, string>>({});
  // Ticking, deleting and restoring: an admin's, in a part of its own loaded only for them.
  const admin = useRef<ObjectAdminHandle>(null);
  const router = useRouter();
  const body = useRef<HTMLTableSectionElement>(null);
  // The rows are one string of HTML (components/s3/object-rows-html.ts); it changes
  // only with the rows, so a click that selects a row does not write the body again.
  const html = useMemo(() => objectRowsHtml(rows, { bucket, isAdmin, versions }), [rows, bucket, isAdmin, versions]);

  // One listener on the table body for every checkbox, folder, Download link and
  // Restore button (event delegation): the rows are not React elements. Each
  // names its row by its index on this page.
  const onBodyClick = (e: React.MouseEvent<HTMLElement>) => {
    const target = e.target as Element;
    // A checkbox has already changed when its click arrives (Space included).
    if (target instanceof HTMLInputElement && target.dataset.select !== undefined) {
      admin.current?.select(Number(target.dataset.select), target.checked);
      return;
    }
    const restore = target.closest?.('button[data-restore]');
    if (restore instanceof HTMLButtonElement) {
      admin.current?.restore(Number(restore.dataset.restore));
      return;
    }
    // A folder opens within the page, as a Link would; a modified click is the browser's.
    const folder = target.closest?.('a[data-folder]');
    if (folder instanceof HTMLAnchorElement) {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      router.push(folder.getAttribute('href')!);
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

  // A refused download's sentence, under its row's name (React does not write
  // inside the rows); again when the body is written anew (new rows).
  useEffect(() => {
    const el = body.current;
    if (!el) return;
    for (const old of el.querySelectorAll('[data-testid="download-problem"]')) old.remove();
    rows.forEach((r, i) => {
      const message = refused[r.id];
      if (!message) return;
      const p = document.createElement('p');
      p.setAttribute('role', 'alert');
      p.className = 'mt-1 text-xs text-red-700 dark:text-red-300';
      p.dataset.testid = 'download-problem';
      p.textContent = message;
      el.querySelector(`[data-name="${i}"]`)?.append(p);
    });
  }, [html, rows, refused]);

  return (
    <>
      {isAdmin ? <ObjectAdminPanel bucket={bucket} versions={versions} rows={rows} body={body} handle={admin} /> : null}
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
          {/* The rows' markup is escaped where it is built (lib/ui/html.ts). */}
          <tbody ref={body} data-testid="objects" className="object-rows" onClick={onBodyClick} dangerouslySetInnerHTML={{ __html: html }} />
        </Table>
      )}
    </>
  );
}
