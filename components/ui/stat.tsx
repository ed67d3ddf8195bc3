import { Card } from './card';

/** A headline figure with a label and a line saying what it means. */
export function Stat({ label, value, note, testId }: { label: string; value: string; note: React.ReactNode; testId: string }) {
  return (
    <Card className="px-5 py-4">
      <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{label}</p>
      <p className="mt-1 text-xl font-semibold tabular-nums" data-testid={testId}>{value}</p>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">{note}</p>
    </Card>
  );
}
