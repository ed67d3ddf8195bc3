import type { Metadata } from 'next';
import { CreateRepositoryForm } from '@/components/ecr/create-repository-form';
import { Card, CardBody } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/session';
import { resolveRegion } from '@/lib/aws/region';
import { getCallerIdentity } from '@/lib/aws/identity';

export const metadata: Metadata = { title: 'Create repository' };

export default async function CreateRepositoryPage({ searchParams }: PageProps<'/ecr/-/new'>) {
  await requireRole('admin');
  const region = resolveRegion(await searchParams);
  const account = await getCallerIdentity().then((i) => i.account).catch(() => 'ACCOUNT');
  return (
    <>
      <PageHeader eyebrow="Amazon ECR" title="Create repository" description="A private repository for one image (or one family of images)." />
      <Card className="max-w-2xl">
        <CardBody className="py-6">
          <CreateRepositoryForm region={region} registryPrefix={`${account}.dkr.ecr.${region}.amazonaws.com`} />
        </CardBody>
      </Card>
    </>
  );
}
