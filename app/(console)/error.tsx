'use client';

import { SectionError } from '@/components/ui/section-error';

export default function OverviewError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="This page" error={error} reset={reset} />;
}
