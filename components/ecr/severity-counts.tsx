import type { Severity } from '@/lib/ecr/images';
import { Badge } from '@/components/ui/badge';

const TONE: Record<Severity, 'red' | 'amber' | 'neutral' | 'brand'> = {
  CRITICAL: 'red',
  HIGH: 'red',
  MEDIUM: 'amber',
  LOW: 'neutral',
  INFORMATIONAL: 'neutral',
  UNDEFINED: 'neutral',
};
const SHORT: Record<Severity, string> = { CRITICAL: 'C', HIGH: 'H', MEDIUM: 'M', LOW: 'L', INFORMATIONAL: 'I', UNDEFINED: 'U' };

export function SeverityCounts({ status, counts }: { status: string | null; counts: Partial<Record<Severity, number>> }) {
  if (!status) return <span className="text-zinc-400">Not scanned</span>;
  if (status !== 'COMPLETE') return <Badge tone="amber">{status.replace('_', ' ').toLowerCase()}</Badge>;
  const entries = (Object.keys(SHORT) as Severity[]).filter((s) => (counts[s] ?? 0) > 0);
  if (entries.length === 0) return <Badge tone="green">No findings</Badge>;
  return (
    <span className="flex flex-wrap gap-1">
      {entries.map((s) => (
        <Badge key={s} tone={TONE[s]}>
          <span title={s.toLowerCase()}>
            {SHORT[s]} {counts[s]}
          </span>
        </Badge>
      ))}
    </span>
  );
}
