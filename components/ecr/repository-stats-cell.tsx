import { getRepositoryStats } from '@/lib/ecr/stats';
import { formatBytes } from '@/lib/ui/format';

/** One row's image count or size; every row of a page awaits the same batched lookup. */
export async function RepositoryStatsCell({ region, names, name, field }: { region: string; names: readonly string[]; name: string; field: 'count' | 'size' }) {
  const stats = (await getRepositoryStats(region, names)).get(name);
  if (!stats) return <span className="text-zinc-400">—</span>;
  return field === 'count' ? <>{stats.imageCount.toLocaleString('en-US')}</> : <>{formatBytes(stats.totalBytes)}</>;
}
