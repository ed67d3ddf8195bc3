'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { ActionError, defineAction } from '@/lib/auth/action';
import { deleteImages } from '@/lib/ecr/images';
import { deleteLifecyclePolicy, deleteRepositoryPolicy, previewLifecyclePolicy, putLifecyclePolicy, setRepositoryPolicy } from '@/lib/ecr/policies';
import { deleteRepository, updateRepositorySettings } from '@/lib/ecr/repositories';
import { startImageScan } from '@/lib/ecr/scanning';
import { forgetRepositoryStats } from '@/lib/ecr/stats';
import { imageDigestSchema, regionField, repositoryNameSchema, repositorySettingsSchema, deleteImagesSchema, deleteRepositorySchema } from '@/lib/validation/ecr';
import { lifecyclePolicyProblems } from '@/lib/validation/ecr-policy';
import { policyProblems } from '@/lib/validation/policy';

// Every action on one repository. Each names the region it was rendered for
// and is checked for the admin role by defineAction before anything else.

const inRegion = { region: regionField };

export const deleteImagesAction = defineAction(
  { name: 'ecr.images.delete', role: 'admin', schema: deleteImagesSchema.extend(inRegion), service: 'ECR' },
  async ({ region, name, digests }) => {
    const result = await deleteImages(region, name, digests);
    forgetRepositoryStats(region, name);
    revalidatePath('/ecr', 'layout');
    if (result.failures.length) {
      throw new ActionError(
        `Deleted ${result.deleted.length} of ${digests.length} images. ECR kept ${result.failures.length}: ${result.failures
          .slice(0, 3)
          .map((f) => `${f.digest.slice(7, 19)} (${f.reason})`)
          .join(', ')}.`,
      );
    }
    return { data: result, message: `Deleted ${result.deleted.length} image${result.deleted.length === 1 ? '' : 's'}.` };
  },
);

export const updateSettingsAction = defineAction(
  { name: 'ecr.repository.settings', role: 'admin', schema: repositorySettingsSchema.extend(inRegion), service: 'ECR' },
  async ({ region, name, tagMutability, scanOnPush }) => {
    await updateRepositorySettings(region, name, { tagMutability, scanOnPush });
    revalidatePath('/ecr', 'layout');
    return { data: undefined, message: 'Settings saved.' };
  },
);

/** The document as the page showed it: a save is refused if ECR's copy changed since. */
const basis = z.string().max(40_000).transform((v) => v || null);
const policyInput = z.object({ ...inRegion, name: repositoryNameSchema, policy: z.string().max(10240, 'A repository policy can be at most 10,240 characters.'), basis });

export const saveRepositoryPolicyAction = defineAction(
  { name: 'ecr.repository.policy.save', role: 'admin', schema: policyInput, service: 'ECR' },
  async ({ region, name, policy, basis }) => {
    const problems = policyProblems(policy, 'resource');
    if (problems.length) throw new ActionError('The policy was not saved.', { policy: problems });
    await setRepositoryPolicy(region, name, policy, basis);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, message: 'Repository policy saved.' };
  },
);

export const deleteRepositoryPolicyAction = defineAction(
  { name: 'ecr.repository.policy.delete', role: 'admin', schema: z.object({ ...inRegion, name: repositoryNameSchema, basis }), service: 'ECR' },
  async ({ region, name, basis }) => {
    await deleteRepositoryPolicy(region, name, basis);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, message: 'Repository policy removed. Only identity policies in this account now grant access.' };
  },
);

const lifecycleInput = z.object({ ...inRegion, name: repositoryNameSchema, policy: z.string().max(30720) });

export const previewLifecycleAction = defineAction(
  { name: 'ecr.repository.lifecycle.preview', role: 'admin', schema: lifecycleInput, service: 'ECR' },
  async ({ region, name, policy }) => {
    const problems = lifecyclePolicyProblems(policy);
    if (problems.length) throw new ActionError('Fix the policy before previewing it.', { policy: problems });
    const preview = await previewLifecyclePolicy(region, name, policy);
    if (preview.status !== 'COMPLETE') {
      throw new ActionError(`ECR could not evaluate these rules (the preview ended ${preview.status.toLowerCase()}). Check the rules and try again.`);
    }
    return { data: preview, message: `${preview.total} image${preview.total === 1 ? '' : 's'} would expire.` };
  },
);

export const saveLifecycleAction = defineAction(
  { name: 'ecr.repository.lifecycle.save', role: 'admin', schema: lifecycleInput.extend({ basis }), service: 'ECR' },
  async ({ region, name, policy, basis }) => {
    const problems = lifecyclePolicyProblems(policy);
    if (problems.length) throw new ActionError('The lifecycle policy was not saved.', { policy: problems });
    await putLifecyclePolicy(region, name, policy, basis);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, message: 'Lifecycle policy saved. ECR applies it within 24 hours.' };
  },
);

export const deleteLifecycleAction = defineAction(
  { name: 'ecr.repository.lifecycle.delete', role: 'admin', schema: z.object({ ...inRegion, name: repositoryNameSchema, basis }), service: 'ECR' },
  async ({ region, name, basis }) => {
    await deleteLifecyclePolicy(region, name, basis);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, message: 'Lifecycle policy removed; no image will expire automatically.' };
  },
);

export const deleteRepositoryAction = defineAction(
  { name: 'ecr.repository.delete', role: 'admin', schema: deleteRepositorySchema.and(z.object(inRegion)), service: 'ECR' },
  async ({ region, name, force }) => {
    await deleteRepository(region, name, force);
    forgetRepositoryStats(region, name);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, redirectTo: `/ecr?region=${region}` };
  },
);

export const startScanAction = defineAction(
  { name: 'ecr.image.scan', role: 'admin', schema: z.object({ ...inRegion, name: repositoryNameSchema, digest: imageDigestSchema }), service: 'ECR' },
  async ({ region, name, digest }) => {
    await startImageScan(region, name, digest);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, message: 'Scan started.' };
  },
);
