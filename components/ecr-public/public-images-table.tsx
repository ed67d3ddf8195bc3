import { Badge } from '@/components/ui/badge';
import { Table, Th } from '@/components/ui/table';
import type { PublicImage } from '@/lib/ecr-public/images';
import { formatBytes, formatDateTime } from '@/lib/ui/format';

/** A public repository's images: tags, digest, size and when each was pushed. */
export function PublicImagesTable({ images }: { images: PublicImage[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Tags</Th>
          <Th>Digest</Th>
          <Th className="text-right">Size</Th>
          <Th>Pushed</Th>
        </tr>
      </thead>
      <tbody data-testid="public-images">
        {images.map((i) => (
          <tr key={i.digest}>
            <td>
              <span className="flex flex-wrap gap-1">
                {i.tags.length ? i.tags.map((t) => <Badge key={t} tone="brand">{t}</Badge>) : <span className="text-zinc-400">untagged</span>}
              </span>
            </td>
            <td className="font-mono text-xs" title={i.digest}>{i.digest.slice(0, 19)}</td>
            <td className="text-right whitespace-nowrap tabular-nums">{formatBytes(i.sizeBytes)}</td>
            <td className="whitespace-nowrap text-zinc-600 dark:text-zinc-400">{formatDateTime(i.pushedAt)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
