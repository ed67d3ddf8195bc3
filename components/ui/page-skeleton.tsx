import { Card } from './card';
import { Skeleton, TableSkeleton } from './skeleton';

/** The shape of a list page while its data streams in. */
export function PageSkeleton() {
  return (
    <>
      <Skeleton className="mb-2 h-3 w-24" />
      <Skeleton className="mb-7 h-7 w-64" />
      <Card>
        <TableSkeleton />
      </Card>
    </>
  );
}
