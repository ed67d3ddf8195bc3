import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import type { TrustInWords } from '@/lib/iam/trust';

/** Who may assume a role, one sentence per statement, with what deserves a second look. */
export function TrustInWordsList({ words }: { words: TrustInWords }) {
  if (words.problem) return <p className="px-5 py-4 text-sm text-zinc-600 dark:text-zinc-300">{words.problem}</p>;
  return (
    <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="trust-in-words">
      {words.statements.map((s, i) => (
        <li key={i} className="flex gap-3 px-5 py-3.5">
          <span className="shrink-0 pt-0.5">{s.effect === 'Allow' ? <Badge tone="green">Allow</Badge> : <Badge tone="red">Deny</Badge>}</span>
          <div className="min-w-0 space-y-2">
            <p className="text-sm" data-testid="trust-sentence">
              {s.sentence}
              {s.sid ? <span className="ml-2 font-mono text-xs text-zinc-400">{s.sid}</span> : null}
            </p>
            {s.warnings.map((w) => (
              <Alert key={w} tone="warning" className="py-2">{w}</Alert>
            ))}
          </div>
        </li>
      ))}
    </ul>
  );
}
