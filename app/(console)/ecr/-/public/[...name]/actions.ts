'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/auth/action';
import { ecrPublicPaths } from '@/lib/ecr-public/paths';
import { deletePublicRepository, updateCatalogData } from '@/lib/ecr-public/repositories';
import { deletePublicRepositorySchema, updateCatalogDataSchema } from '@/lib/validation/ecr-public';

// The admin actions on one public repository; defineAction checks the role
// before it reads anything.

export const updateCatalogDataAction = defineAction(
  { name: 'ecr-public.repository.catalog', role: 'admin', schema: updateCatalogDataSchema, service: 'ECR_PUBLIC' },
  async ({ name, ...catalog }) => {
    await updateCatalogData(name, catalog);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, message: 'Catalog data saved.' };
  },
);

export const deletePublicRepositoryAction = defineAction(
  { name: 'ecr-public.repository.delete', role: 'admin', schema: deletePublicRepositorySchema, service: 'ECR_PUBLIC' },
  async ({ name, force }) => {
    await deletePublicRepository(name, force);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, redirectTo: ecrPublicPaths.list };
  },
);
