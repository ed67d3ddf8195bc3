'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { formatBytes } from '@/lib/ui/format';

interface Item {
  name: string;
  size: number;
  loaded: number;
  status: 'waiting' | 'uploading' | 'finishing' | 'done' | 'failed' | 'cancelled';
  message?: string;
}

/**
 * Uploads files into the current folder through Berth's upload route, one at a
 * time, with a progress bar each (XMLHttpRequest reports upload progress;
 * fetch does not). Berth passes the bytes on to S3 as they arrive, so the bar
 * moves at S3's pace; once the browser has sent everything, Berth still
 * finishes the upload with S3, which the item shows as "Finishing…".
 */
export function UploadPanel({ bucket, prefix, maxBytes, folderContents = false }: {
  bucket: string;
  prefix: string;
  maxBytes: number;
  /** For a folder upload, put what is inside the folder here, not the folder itself (a site's build output). */
  folderContents?: boolean;
}) {
  const router = useRouter();
  const [items, setItems] = useState<Item[]>([]);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // The request in flight and the items the person cancelled before their turn.
  const current = useRef<{ index: number; xhr: XMLHttpRequest } | null>(null);
  const cancelled = useRef(new Set<number>());

  const update = (i: number, patch: Partial<Item>) => setItems((prev) => prev.map((it, j) => (j === i ? { ...it, ...patch } : it)));

  function cancel(i: number) {
    if (current.current?.index === i) current.current.xhr.abort();
    else cancelled.current.add(i);
    update(i, { status: 'cancelled' });
  }

  async function upload(files: File[]) {
    const start = items.length;
    setItems((prev) => [...prev, ...files.map((f) => ({ name: f.name, size: f.size, loaded: 0, status: 'waiting' as const }))]);
    setBusy(true);
    for (const [n, file] of files.entries()) {
      const i = start + n;
      if (cancelled.current.has(i)) continue;
      if (file.size > maxBytes) {
        update(i, { status: 'failed', message: `Larger than the ${formatBytes(maxBytes)} this Berth accepts.` });
        continue;
      }
      update(i, { status: 'uploading' });
      const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
      const key = prefix + (folderContents && relative.includes('/') ? relative.slice(relative.indexOf('/') + 1) : relative);
      await new Promise<void>((resolve) => {
        const xhr = new XMLHttpRequest();
        current.current = { index: i, xhr };
        xhr.open('POST', `/s3/${bucket}/object?key=${encodeURIComponent(key)}`);
        xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
        xhr.upload.onprogress = (e) => update(i, { loaded: e.loaded });
        // Every byte has left the browser; Berth is still completing the upload with S3.
        xhr.upload.onload = () => update(i, { loaded: file.size, status: 'finishing' });
        xhr.onload = () => {
          let message: string | undefined;
          try {
            message = (JSON.parse(xhr.responseText) as { message?: string }).message;
          } catch {
            message = undefined;
          }
          update(i, xhr.status < 300 ? { status: 'done', loaded: file.size } : { status: 'failed', message: message ?? `Upload failed (${xhr.status}).` });
          resolve();
        };
        xhr.onerror = () => {
          update(i, { status: 'failed', message: 'The connection to Berth failed.' });
          resolve();
        };
        // Berth stops the upload with S3 too and removes what it had stored.
        xhr.onabort = () => {
          update(i, { status: 'cancelled', message: undefined });
          resolve();
        };
        xhr.send(file);
      });
      current.current = null;
    }
    setBusy(false);
    router.refresh();
  }

  // Leaving the page cancels an upload in progress; ask first.
  useEffect(() => {
    if (!busy) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [busy]);

  // Files picked while the page was still loading (before React attached its
  // change handler) sit in the input unnoticed; upload them once it is ready.
  useEffect(() => {
    const el = input.current;
    const files = [...(el?.files ?? [])];
    if (!el || !files.length) return;
    el.value = '';
    void upload(files);
    // Only on mount: later picks arrive through onChange.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="border-b border-zinc-100 px-5 py-3 dark:border-zinc-800" data-testid="upload-panel">
      <div className="flex items-center gap-3">
        <label className="inline-flex h-8 cursor-pointer items-center rounded-md border border-zinc-300 bg-white px-3 text-sm font-medium shadow-sm hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800">
          Upload files
          <input
            ref={input}
            type="file"
            multiple
            className="sr-only"
            disabled={busy}
            aria-label="Upload files"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              if (files.length) void upload(files);
            }}
          />
        </label>
        <label className="inline-flex h-8 cursor-pointer items-center rounded-md border border-zinc-300 bg-white px-3 text-sm font-medium shadow-sm hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800">
          Upload folder
          <input
            type="file"
            multiple
            className="sr-only"
            disabled={busy}
            aria-label="Upload folder"
            // Chromium, Firefox and Safari all pick a whole folder with this (non-standard) attribute.
            {...{ webkitdirectory: '' }}
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              if (files.length) void upload(files);
            }}
          />
        </label>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          Into <span className="font-mono">/{prefix}</span> · up to {formatBytes(maxBytes)} a file
        </span>
      </div>
      {items.length ? (
        <ul className="mt-3 space-y-2" aria-live="polite">
          {items.map((it, i) => {
            const percent = Math.round((100 * it.loaded) / Math.max(1, it.size));
            return (
              <li key={`${it.name}-${i}`} className="text-sm">
                <div className="flex items-center justify-between gap-3">
                  <span className="min-w-0 truncate font-mono text-xs">{it.name}</span>
                  {it.status !== 'failed' ? (
                    <span className="flex shrink-0 items-center gap-2">
                      <span className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="upload-status">
                        {it.status === 'done'
                          ? 'Uploaded'
                          : it.status === 'cancelled'
                            ? 'Cancelled'
                            : it.status === 'finishing'
                              ? 'Finishing…'
                              : it.status === 'uploading'
                                ? `${percent}% of ${formatBytes(it.size)}`
                                : 'Waiting'}
                      </span>
                      {it.status === 'waiting' || it.status === 'uploading' ? (
                        <Button type="button" size="sm" variant="ghost" className="h-6 px-2 text-xs" onClick={() => cancel(i)} aria-label={`Cancel ${it.name}`}>
                          Cancel
                        </Button>
                      ) : null}
                    </span>
                  ) : null}
                </div>
                <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800">
                  <div
                    role="progressbar"
                    aria-label={`${it.name} upload progress`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={percent}
                    className={it.status === 'failed' ? 'h-full bg-red-500' : it.status === 'cancelled' ? 'h-full bg-zinc-400 dark:bg-zinc-600' : 'h-full bg-brand-500 transition-[width]'}
                    style={{ width: `${it.status === 'failed' ? 100 : (100 * it.loaded) / Math.max(1, it.size)}%` }}
                  />
                </div>
                {it.status === 'failed' ? (
                  <p className="mt-1 text-xs text-red-600 dark:text-red-400" data-testid="upload-status">
                    {it.message}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
