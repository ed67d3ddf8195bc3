'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { formatBytes } from '@/lib/ui/format';

interface Item {
  name: string;
  size: number;
  loaded: number;
  status: 'waiting' | 'uploading' | 'done' | 'failed';
  message?: string;
}

/**
 * Uploads files into the current folder through Berth's upload route, one at a
 * time, with a progress bar each (XMLHttpRequest reports upload progress;
 * fetch does not).
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

  const update = (i: number, patch: Partial<Item>) => setItems((prev) => prev.map((it, j) => (j === i ? { ...it, ...patch } : it)));

  async function upload(files: File[]) {
    const start = items.length;
    setItems((prev) => [...prev, ...files.map((f) => ({ name: f.name, size: f.size, loaded: 0, status: 'waiting' as const }))]);
    setBusy(true);
    for (const [n, file] of files.entries()) {
      const i = start + n;
      if (file.size > maxBytes) {
        update(i, { status: 'failed', message: `Larger than the ${formatBytes(maxBytes)} this Berth accepts.` });
        continue;
      }
      update(i, { status: 'uploading' });
      const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
      const key = prefix + (folderContents && relative.includes('/') ? relative.slice(relative.indexOf('/') + 1) : relative);
      await new Promise<void>((resolve) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `/s3/${bucket}/object?key=${encodeURIComponent(key)}`);
        xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
        xhr.upload.onprogress = (e) => update(i, { loaded: e.loaded });
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
        xhr.send(file);
      });
    }
    setBusy(false);
    router.refresh();
  }

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
          {items.map((it, i) => (
            <li key={`${it.name}-${i}`} className="text-sm">
              <div className="flex items-center justify-between gap-3">
                <span className="truncate font-mono text-xs">{it.name}</span>
                <span className={it.status === 'failed' ? 'text-xs text-red-600 dark:text-red-400' : 'text-xs text-zinc-500'} data-testid="upload-status">
                  {it.status === 'done' ? 'Uploaded' : it.status === 'failed' ? it.message : it.status === 'uploading' ? `${Math.round((100 * it.loaded) / Math.max(1, it.size))}%` : 'Waiting'}
                </span>
              </div>
              <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800">
                <div
                  role="progressbar"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round((100 * it.loaded) / Math.max(1, it.size))}
                  className={it.status === 'failed' ? 'h-full bg-red-500' : 'h-full bg-brand-500 transition-[width]'}
                  style={{ width: `${it.status === 'failed' ? 100 : (100 * it.loaded) / Math.max(1, it.size)}%` }}
                />
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
