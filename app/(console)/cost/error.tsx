'use client';

import { SectionError } from '@/components/ui/section-error';

export default function CostError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="Cost" error={error} reset={reset} />;
}
