'use server';

import { defineAction } from '@/lib/auth/action';
import { ecrPaths } from '@/lib/ecr/paths';
import { createRepository } from '@/lib/ecr/repositories';
import { createRepositoryFormSchema } from '@/lib/validation/ecr';

export const createRepositoryAction = defineAction(
  { name: 'ecr.repository.create', role: 'admin', schema: createRepositoryFormSchema, service: 'ECR' },
  async (input) => {
    const repo = await createRepository(input.region, input);
    return { data: undefined, redirectTo: `${ecrPaths.repository(repo.name)}?region=${input.region}` };
  },
);
