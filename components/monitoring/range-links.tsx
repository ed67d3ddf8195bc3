import { Tabs } from '@/components/ui/tabs';

const RANGES = [
  { id: '24h', label: '24 hours' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
] as const;

/** The chart range as links (`?range=24h|7d|30d`), so a view can be shared. */
export function RangeLinks({ current, href }: { current: string; href: (range: string) => string }) {
  return (
    <Tabs
      variant="segmented"
      label="Time range"
      current={current}
      tabs={RANGES.map((r) => ({ id: r.id, label: r.label, href: href(r.id) }))}
    />
  );
}
