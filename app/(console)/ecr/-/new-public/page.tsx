import type { Metadata } from 'next';
import { CreatePublicRepositoryForm } from '@/components/ecr-public/create-public-repository-form';
import { Card, CardBody } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/session';
import { getPublicRegistry } from '@/lib/ecr-public/registry';

export const metadata: Metadata = { title: 'Create public repository' };

export default async function CreatePublicRepositoryPage() {
  await requireRole('admin');
  // The URI preview uses the registry's address as ECR Public gives it; before
  // the first public repository there is none yet, and the form says so.
  const registry = await getPublicRegistry().catch(() => null);
  return (
    <>
      <PageHeader
        eyebrow="Amazon ECR Public"
        title="Create public repository"
        description="A repository anyone can pull from without an AWS account, listed in the Amazon ECR Public Gallery."
      />
      <Card className="max-w-2xl">
        <CardBody className="py-6">
          <CreatePublicRepositoryForm registryUri={registry?.registryUri ?? null} />
        </CardBody>
      </Card>
    </>
  );
}
