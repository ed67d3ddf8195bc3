'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/auth/action';
import { ecrPublicPaths } from '@/lib/ecr-public/paths';
import { createPublicRepository } from '@/lib/ecr-public/repositories';
import { createPublicRepositorySchema } from '@/lib/validation/ecr-public';

export const createPublicRepositoryAction = defineAction(
  { name: 'ecr-public.repository.create', role: 'admin', schema: createPublicRepositorySchema, service: 'ECR_PUBLIC' },
  async (input) => {
    const repo = await createPublicRepository(input);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, redirectTo: ecrPublicPaths.repository(repo.name || input.name) };
  },
);
