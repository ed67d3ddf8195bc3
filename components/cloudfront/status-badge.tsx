import { Badge } from '@/components/ui/badge';

/** Deployed / InProgress, with a pulsing dot while CloudFront is still rolling a change out. */
export function DeployBadge({ status }: { status: 'InProgress' | 'Deployed' }) {
  return status === 'Deployed' ? (
    <Badge tone="green" className="gap-1.5"><span className="size-1.5 rounded-full bg-emerald-500" />Deployed</Badge>
  ) : (
    <Badge tone="amber" className="gap-1.5">
      <span className="relative flex size-1.5"><span className="absolute inline-flex size-full motion-safe:animate-ping rounded-full bg-amber-400 opacity-75" /><span className="relative inline-flex size-1.5 rounded-full bg-amber-500" /></span>
      In progress
    </Badge>
  );
}
