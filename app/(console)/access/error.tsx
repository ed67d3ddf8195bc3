'use client';

import { SectionError } from '@/components/ui/section-error';

export default function AccessError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="Access" error={error} reset={reset} />;
}
