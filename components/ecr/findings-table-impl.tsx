'use client';

import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import type { Finding } from '@/lib/ecr/scanning';
import type { Severity } from '@/lib/ecr/images';
import { cn } from '@/lib/ui/cn';

const SEVERITIES: Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];
const TONE: Record<Severity, 'red' | 'amber' | 'neutral'> = { CRITICAL: 'red', HIGH: 'red', MEDIUM: 'amber', LOW: 'neutral', INFORMATIONAL: 'neutral', UNDEFINED: 'neutral' };

export function FindingsTable({ findings }: { findings: Finding[] }) {
  const [filter, setFilter] = useState<Severity | 'ALL'>('ALL');
  const present = SEVERITIES.filter((s) => findings.some((f) => f.severity === s));
  const shown = filter === 'ALL' ? findings : findings.filter((f) => f.severity === filter);
  return (
    <>
      <div className="flex flex-wrap gap-1.5 border-b border-zinc-100 px-5 py-3 dark:border-zinc-800" role="group" aria-label="Filter by severity">
        {(['ALL', ...present] as const).map((s) => (
          <button
            key={s}
            type="button"
            aria-pressed={filter === s}
            onClick={() => setFilter(s)}
            className={cn(
              'rounded-full px-3 py-1 text-xs font-medium ring-1 ring-inset',
              filter === s ? 'bg-brand-600 text-white ring-brand-600' : 'text-zinc-600 ring-zinc-200 hover:bg-zinc-50 dark:text-zinc-300 dark:ring-zinc-700 dark:hover:bg-zinc-800',
            )}
          >
            {s === 'ALL' ? `All (${findings.length})` : `${s.toLowerCase()} (${findings.filter((f) => f.severity === s).length})`}
          </button>
        ))}
      </div>
      <Table>
        <thead>
          <tr>
            <Th>Severity</Th>
            <Th>Name</Th>
            <Th>Package</Th>
            <Th>Description</Th>
          </tr>
        </thead>
        <tbody data-testid="findings">
          {shown.map((f) => (
            <Tr key={`${f.name}|${f.packageName}|${f.packageVersion}`}>
              <Td><Badge tone={TONE[f.severity]}>{f.severity.toLowerCase()}</Badge></Td>
              <Td className="font-mono text-xs whitespace-nowrap">
                {f.uri ? <a href={f.uri} target="_blank" rel="noreferrer noopener" className="text-brand-700 hover:underline dark:text-brand-300">{f.name}</a> : f.name}
              </Td>
              <Td className="font-mono text-xs whitespace-nowrap">{f.packageName ? `${f.packageName} ${f.packageVersion ?? ''}` : '—'}</Td>
              <Td className="max-w-xl text-zinc-600 dark:text-zinc-400">{f.description}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
