'use server';

import { revalidatePath } from 'next/cache';
import { ActionError, defineAction } from '@/lib/auth/action';
import { setUpCiRole, setUpCiUser, summary } from '@/lib/ci/onboarding';
import { siteTarget } from '@/lib/ci/targets';
import { siteCiRoleSchema, siteCiUserSchema } from '@/lib/validation/ci';
import { deleteDistribution, getDistribution, setDistributionEnabled, updateDistributionConfig } from '@/lib/cloudfront/distributions';
import { createInvalidation } from '@/lib/cloudfront/invalidations';
import { applyFix } from '@/lib/cloudfront/security';
import {
  deleteDistributionSchema,
  distributionSettingsSchema,
  fixFindingSchema,
  invalidationSchema,
  setDistributionEnabledSchema,
} from '@/lib/validation/cloudfront';

export const updateDistributionSettingsAction = defineAction(
  { name: 'cloudfront.distribution.update', role: 'admin', schema: distributionSettingsSchema, service: 'CLOUDFRONT' },
  async (input) => {
    // If-Match is the ETag the form was rendered with: a change made by
    // someone else since then makes CloudFront answer PreconditionFailed.
    await updateDistributionConfig(input.id, input.etag, (c) => {
      c.Comment = input.comment;
      c.DefaultRootObject = input.defaultRootObject;
      c.PriceClass = input.priceClass;
      // Written only when the person changed it, so an ACL this form could not list is never detached by accident.
      const wanted = input.waf === 'existing' ? input.webAclArn : '';
      if (wanted !== (c.WebACLId ?? '')) c.WebACLId = wanted;
      if (c.DefaultCacheBehavior) c.DefaultCacheBehavior.ViewerProtocolPolicy = input.viewerProtocolPolicy;
    });
    revalidatePath(`/cloudfront/${input.id}`);
    return { data: undefined, message: 'Saved. CloudFront is deploying the change.' };
  },
);

export const createInvalidationAction = defineAction(
  { name: 'cloudfront.invalidation.create', role: 'admin', schema: invalidationSchema, service: 'CLOUDFRONT' },
  async (input) => {
    const id = await createInvalidation(input.id, input.callerReference, input.paths);
    revalidatePath(`/cloudfront/${input.id}`);
    return { data: { id }, message: `Invalidation ${id} started for ${input.paths.length} path${input.paths.length === 1 ? '' : 's'}.` };
  },
);

export const setDistributionEnabledAction = defineAction(
  { name: 'cloudfront.distribution.enable', role: 'admin', schema: setDistributionEnabledSchema, service: 'CLOUDFRONT' },
  async ({ id, enabled }) => {
    await setDistributionEnabled(id, enabled);
    revalidatePath(`/cloudfront/${id}`);
    return { data: undefined, message: enabled ? 'Enabling: CloudFront is deploying the change.' : 'Disabling: CloudFront is deploying the change.' };
  },
);

export const deleteDistributionAction = defineAction(
  { name: 'cloudfront.distribution.delete', role: 'admin', schema: deleteDistributionSchema, service: 'CLOUDFRONT' },
  async ({ id }) => {
    const d = await getDistribution(id);
    if (d.enabled) throw new ActionError('Disable the distribution first, and wait until the change shows “Deployed”.');
    if (d.status !== 'Deployed') throw new ActionError('CloudFront is still deploying the last change. Wait until it shows “Deployed”, then delete.');
    await deleteDistribution(id);
    revalidatePath('/cloudfront');
    const origin = d.origins.find((o) => o.bucket);
    const q = new URLSearchParams({ deleted: id, arn: d.arn });
    if (origin?.bucket) q.set('bucket', origin.bucket);
    if (origin?.originAccessControlId) q.set('oac', origin.originAccessControlId);
    if (origin?.originAccessIdentityId) q.set('oai', origin.originAccessIdentityId);
    // The cleanup page offers the web ACL only if Berth made it (and nothing else uses it).
    if (d.webAclId?.startsWith('arn:')) q.set('waf', d.webAclId);
    return { data: undefined, redirectTo: `/cloudfront/-/cleanup?${q.toString()}` };
  },
);

export const fixFindingAction = defineAction(
  { name: 'cloudfront.security.fix', role: 'admin', schema: fixFindingSchema, service: 'CLOUDFRONT', resume: 'Press the fix again to finish.' },
  async ({ id, fix }) => {
    const message = await applyFix(id, fix);
    revalidatePath(`/cloudfront/${id}`);
    return { data: undefined, message };
  },
);

// Deploy from CI: a GitHub Actions role (or, as a fallback, a user and an
// access key) that may sync the bucket behind this distribution and
// invalidate it, and nothing else. The secret of a new key is in the answer
// only: defineAction's audit line never records an action's data.

export const createSiteCiRoleAction = defineAction(
  { name: 'ci.site.role.create', role: 'admin', schema: siteCiRoleSchema, service: 'IAM' },
  async ({ id, owner, repo, branch, roleName }) => {
    const outcome = await setUpCiRole(await siteTarget(id), { owner, repo, branch }, roleName);
    return { data: outcome, message: outcome.status === 'done' ? summary(outcome.made) : undefined };
  },
);

export const createSiteCiUserAction = defineAction(
  { name: 'ci.site.user.create', role: 'admin', schema: siteCiUserSchema, service: 'IAM' },
  async ({ id, owner, repo, branch, userName }) => {
    const outcome = await setUpCiUser(await siteTarget(id), { owner, repo, branch }, userName);
    return { data: outcome, message: outcome.status === 'done' ? summary(outcome.made) : undefined };
  },
);
