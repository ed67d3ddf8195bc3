'use client';

import { SectionError } from '@/components/ui/section-error';

export default function CloudFrontError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="CloudFront" error={error} reset={reset} />;
}
