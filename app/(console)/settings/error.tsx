'use client';

import { SectionError } from '@/components/ui/section-error';

export default function SettingsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="Settings" error={error} reset={reset} />;
}
