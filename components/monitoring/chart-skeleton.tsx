import { Card } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';

export function ChartsSkeleton({ count = 1 }: { count?: number }) {
  return (
    <div className="space-y-5" role="status" aria-label="Loading charts">
      {Array.from({ length: count }, (_, i) => (
        <Card key={i} className="space-y-3 p-5">
          <Skeleton className="h-4 w-40" />
          <Skeleton className="h-40 w-full" />
        </Card>
      ))}
    </div>
  );
}
