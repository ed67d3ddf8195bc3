'use server';

import { revalidatePath } from 'next/cache';
import { ActionError, defineAction } from '@/lib/auth/action';
import { setUpCiRole, setUpCiUser, summary } from '@/lib/ci/onboarding';
import { ecrTarget } from '@/lib/ci/targets';
import { ecrCiRoleSchema, ecrCiUserSchema } from '@/lib/validation/ci';
import { deleteImages, listImages } from '@/lib/ecr/images';
import { deleteLifecyclePolicy, deleteRepositoryPolicy, previewLifecyclePolicy, putLifecyclePolicy, setRepositoryPolicy, type PreviewResult } from '@/lib/ecr/policies';
import { deleteRepository, updateRepositorySettings } from '@/lib/ecr/repositories';
import { startImageScan } from '@/lib/ecr/scanning';
import { ecrSaving } from '@/lib/cost/savings';
import {
  deleteImagesActionSchema,
  deletePolicyDocumentSchema,
  deleteRepositoryActionSchema,
  lifecyclePolicySchema,
  repositorySettingsActionSchema,
  saveLifecyclePolicySchema,
  saveRepositoryPolicySchema,
  startScanSchema,
} from '@/lib/validation/ecr';

// Every action on one repository. Each names the region it was rendered for
// and is checked for the admin role by defineAction before anything else.

export const deleteImagesAction = defineAction(
  { name: 'ecr.images.delete', role: 'admin', schema: deleteImagesActionSchema, service: 'ECR' },
  async ({ region, name, digests }) => {
    const result = await deleteImages(region, name, digests);
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
  { name: 'ecr.repository.settings', role: 'admin', schema: repositorySettingsActionSchema, service: 'ECR' },
  async ({ region, name, tagMutability, scanOnPush }) => {
    await updateRepositorySettings(region, name, { tagMutability, scanOnPush });
    revalidatePath('/ecr', 'layout');
    return { data: undefined, message: 'Settings saved.' };
  },
);

export const saveRepositoryPolicyAction = defineAction(
  { name: 'ecr.repository.policy.save', role: 'admin', schema: saveRepositoryPolicySchema, service: 'ECR' },
  async ({ region, name, policy, basis }) => {
    await setRepositoryPolicy(region, name, policy, basis);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, message: 'Repository policy saved.' };
  },
);

export const deleteRepositoryPolicyAction = defineAction(
  { name: 'ecr.repository.policy.delete', role: 'admin', schema: deletePolicyDocumentSchema, service: 'ECR' },
  async ({ region, name, basis }) => {
    await deleteRepositoryPolicy(region, name, basis);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, message: 'Repository policy removed. Only identity policies in this account now grant access.' };
  },
);

export const previewLifecycleAction = defineAction(
  { name: 'ecr.repository.lifecycle.preview', role: 'admin', schema: lifecyclePolicySchema, service: 'ECR' },
  async ({ region, name, policy }) => {
    const preview = await previewLifecyclePolicy(region, name, policy);
    if (preview.status !== 'COMPLETE') {
      throw new ActionError(`ECR could not evaluate these rules (the preview ended ${preview.status.toLowerCase()}). Check the rules and try again.`);
    }
    // Sizes of what would expire come from the repository's image list (the
    // shared, cached read the page itself shows), not from a call per image.
    const sizes = new Map((await listImages(region, name)).map((i) => [i.digest, i.sizeBytes]));
    const bytes = preview.expiring.reduce((n, e) => n + (sizes.get(e.digest) ?? 0), 0);
    const saving = preview.total > 0 ? await ecrSaving(region, bytes) : undefined;
    const data: PreviewResult = saving ? { ...preview, saving } : preview;
    return { data, message: `${preview.total} image${preview.total === 1 ? '' : 's'} would expire.` };
  },
);

export const saveLifecycleAction = defineAction(
  { name: 'ecr.repository.lifecycle.save', role: 'admin', schema: saveLifecyclePolicySchema, service: 'ECR' },
  async ({ region, name, policy, basis }) => {
    await putLifecyclePolicy(region, name, policy, basis);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, message: 'Lifecycle policy saved. ECR applies it within 24 hours.' };
  },
);

export const deleteLifecycleAction = defineAction(
  { name: 'ecr.repository.lifecycle.delete', role: 'admin', schema: deletePolicyDocumentSchema, service: 'ECR' },
  async ({ region, name, basis }) => {
    await deleteLifecyclePolicy(region, name, basis);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, message: 'Lifecycle policy removed; no image will expire automatically.' };
  },
);

export const deleteRepositoryAction = defineAction(
  { name: 'ecr.repository.delete', role: 'admin', schema: deleteRepositoryActionSchema, service: 'ECR' },
  async ({ region, name, force }) => {
    await deleteRepository(region, name, force);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, redirectTo: `/ecr?region=${region}` };
  },
);

export const startScanAction = defineAction(
  { name: 'ecr.image.scan', role: 'admin', schema: startScanSchema, service: 'ECR' },
  async ({ region, name, digest }) => {
    await startImageScan(region, name, digest);
    revalidatePath('/ecr', 'layout');
    return { data: undefined, message: 'Scan started.' };
  },
);

// Push from CI: a GitHub Actions role (or, as a fallback, a user and an
// access key) that may push to this repository and nothing else.
// The secret of a new key is in the answer only: defineAction's audit line
// records the action's name and outcome, never its data.

export const createEcrCiRoleAction = defineAction(
  { name: 'ci.ecr.role.create', role: 'admin', schema: ecrCiRoleSchema, service: 'IAM' },
  async ({ region, repository, owner, repo, branch, roleName }) => {
    const outcome = await setUpCiRole(await ecrTarget(region, repository), { owner, repo, branch }, roleName);
    return { data: outcome, message: outcome.status === 'done' ? summary(outcome.made) : undefined };
  },
);

export const createEcrCiUserAction = defineAction(
  { name: 'ci.ecr.user.create', role: 'admin', schema: ecrCiUserSchema, service: 'IAM' },
  async ({ region, repository, owner, repo, branch, userName }) => {
    const outcome = await setUpCiUser(await ecrTarget(region, repository), { owner, repo, branch }, userName);
    return { data: outcome, message: outcome.status === 'done' ? summary(outcome.made) : undefined };
  },
);
