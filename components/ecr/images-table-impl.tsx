'use client';

import Link from 'next/link';
import { useState } from 'react';
import { deleteImagesAction } from '@/app/(console)/ecr/[...name]/actions';
import { SeverityCounts } from '@/components/ecr/severity-counts';
import { useFormAction } from '@/components/ui/action-state';
import { useKeepAt } from '@/components/ui/kept-outcomes';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import type { DeleteResult, ImageSummary } from '@/lib/ecr/images';
import { formatBytes, formatDateTime } from '@/lib/ui/format';
import { savingSentence, storageMonthlyUsd } from '@/lib/cost/estimate';

export function ImagesTable({ images, repository, region, isAdmin, imageHref, empty, ecrPerGb }: { images: ImageSummary[]; repository: string; region: string; isAdmin: boolean; imageHref: Record<string, string>; empty: React.ReactNode; ecrPerGb?: number }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  // A refusal keeps the selection and the question open, so the person can retry
  // what is left (the page already shows the images that did go).
  const { state, pending, formProps } = useFormAction<DeleteResult>(deleteImagesAction, {
    refresh: true,
    // A table mounted again by a slow refresh still says what was deleted (components/ui/kept-outcomes.tsx).
    keep: useKeepAt('images'),
    onSuccess: () => {
      setConfirming(false);
      setSelected(new Set());
    },
  });

  const toggle = (digest: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(digest)) next.delete(digest);
      else next.add(digest);
      return next;
    });
  const allOnPage = images.length > 0 && images.every((i) => selected.has(i.digest));
  const chosen = images.filter((i) => selected.has(i.digest));

  return (
    <>
      {isAdmin && (selected.size > 0 || state) ? (
        <div className="space-y-3 border-b border-zinc-100 px-5 py-3 dark:border-zinc-800">
          {state ? <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert> : null}
          {selected.size > 0 && !confirming ? (
            <div className="flex items-center gap-3">
              <span className="text-sm">{selected.size} selected</span>
              <Button variant="danger" size="sm" onClick={() => setConfirming(true)}>
                Delete selected
              </Button>
              <Button variant="ghost" size="sm" onClick={() => setSelected(new Set())}>
                Clear
              </Button>
            </div>
          ) : null}
          {confirming ? (
            <form {...formProps} className="rounded-lg border border-red-200 bg-red-50/60 p-4 dark:border-red-900/60 dark:bg-red-950/30" data-testid="confirm-delete-images">
              <input type="hidden" name="region" value={region} />
              <input type="hidden" name="name" value={repository} />
              {chosen.map((i) => (
                <input key={i.digest} type="hidden" name="digests" value={i.digest} />
              ))}
              <p className="text-sm font-medium text-red-900 dark:text-red-200">
                Delete {chosen.length} image{chosen.length === 1 ? '' : 's'} from {repository}? This cannot be undone; anything that pulls them will fail.
              </p>
              {ecrPerGb !== undefined ? (
                // Layers shared with images that stay are kept (and billed) by ECR, so this is an upper bound.
                <p className="mt-1 text-sm text-red-900/90 dark:text-red-200/90" data-testid="saving">
                  {savingSentence(storageMonthlyUsd(chosen.reduce((n, i) => n + i.sizeBytes, 0), ecrPerGb)).replace('about', 'up to about')} Layers other images share stay stored.
                </p>
              ) : null}
              <ul className="mt-2 max-h-32 space-y-0.5 overflow-auto font-mono text-xs text-red-900/80 dark:text-red-200/80">
                {chosen.map((i) => (
                  <li key={i.digest}>
                    {i.digest.slice(0, 19)}… {i.tags.length ? `(${i.tags.join(', ')})` : '(untagged)'}
                  </li>
                ))}
              </ul>
              <div className="mt-3 flex gap-2">
                <Button type="submit" variant="danger" size="sm" disabled={pending}>
                  {pending ? 'Deleting…' : `Delete ${chosen.length} image${chosen.length === 1 ? '' : 's'}`}
                </Button>
                <Button type="button" variant="secondary" size="sm" onClick={() => setConfirming(false)}>
                  Cancel
                </Button>
              </div>
            </form>
          ) : null}
        </div>
      ) : null}
      {images.length === 0 ? empty : (
      <Table>
        <thead>
          <tr>
            {isAdmin ? (
              <Th className="w-10">
                <input
                  type="checkbox"
                  aria-label="Select all images on this page"
                  checked={allOnPage}
                  onChange={() => setSelected(allOnPage ? new Set() : new Set(images.map((i) => i.digest)))}
                  className="size-4 accent-brand-600"
                />
              </Th>
            ) : null}
            <Th>Tags</Th>
            <Th>Digest</Th>
            <Th className="text-right">Size</Th>
            <Th>Pushed</Th>
            <Th>Last pulled</Th>
            <Th>Scan</Th>
          </tr>
        </thead>
        <tbody data-testid="images">
          {images.map((i) => (
            <Tr key={i.digest}>
              {isAdmin ? (
                <Td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${i.tags[0] ?? i.digest.slice(7, 19)}`}
                    checked={selected.has(i.digest)}
                    onChange={() => toggle(i.digest)}
                    className="size-4 accent-brand-600"
                  />
                </Td>
              ) : null}
              <Td>
                <span className="flex max-w-xs flex-wrap gap-1">
                  {i.tags.length ? i.tags.map((t) => <Badge key={t} tone="brand">{t}</Badge>) : <span className="text-xs text-zinc-400 italic">untagged</span>}
                </span>
              </Td>
              <Td>
                <span className="flex items-center gap-1">
                  <Link href={imageHref[i.digest] ?? '#'} className="font-mono text-xs text-brand-700 hover:underline dark:text-brand-300" title={i.digest}>
                    {i.digest.slice(7, 19)}
                  </Link>
                  <CopyButton value={i.digest} label="Copy digest" />
                </span>
              </Td>
              <Td className="text-right whitespace-nowrap tabular-nums">{formatBytes(i.sizeBytes)}</Td>
              <Td className="whitespace-nowrap text-zinc-600 dark:text-zinc-400">{formatDateTime(i.pushedAt)}</Td>
              <Td className="whitespace-nowrap text-zinc-600 dark:text-zinc-400">{i.lastPulledAt ? formatDateTime(i.lastPulledAt) : 'Never'}</Td>
              <Td>
                <SeverityCounts status={i.scanStatus} counts={i.severityCounts} />
              </Td>
            </Tr>
          ))}
        </tbody>
      </Table>
      )}
    </>
  );
}
