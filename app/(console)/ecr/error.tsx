'use client';

import { SectionError } from '@/components/ui/section-error';

export default function ECRError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="ECR" error={error} reset={reset} />;
}
