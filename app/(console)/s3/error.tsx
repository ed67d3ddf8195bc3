'use client';

import { SectionError } from '@/components/ui/section-error';

export default function S3Error({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="S3" error={error} reset={reset} />;
}
