import type { Metadata } from 'next';
import { CreateBucketForm } from '@/components/s3/create-bucket-form';
import { Card, CardBody } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/session';
import { resolveRegion } from '@/lib/aws/region';

export const metadata: Metadata = { title: 'Create bucket' };

export default async function CreateBucketPage({ searchParams }: PageProps<'/s3/-/new'>) {
  await requireRole('admin');
  const region = resolveRegion(await searchParams);
  return (
    <>
      <PageHeader eyebrow="Amazon S3" title="Create bucket" description="A bucket for objects, versions or a static website." />
      <Card className="max-w-2xl">
        <CardBody className="py-6">
          <CreateBucketForm region={region} />
        </CardBody>
      </Card>
    </>
  );
}
