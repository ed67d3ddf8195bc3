'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { ActionError, defineAction } from '@/lib/auth/action';
import { deleteDistribution, getDistribution, setDistributionEnabled, updateDistributionConfig } from '@/lib/cloudfront/distributions';
import { createInvalidation } from '@/lib/cloudfront/invalidations';
import { applyFix, FixRefused, type FixId } from '@/lib/cloudfront/security';
import { describeAwsError } from '@/lib/aws/errors';
import { PartialChange } from '@/lib/aws/steps';
import { distributionIdSchema, distributionSettingsSchema, invalidationSchema } from '@/lib/validation/cloudfront';

const FIXES = ['block-public-access', 'use-oac', 'grant-read', 'redirect-https', 'set-root-object', 'attach-waf', 'waf-off-by-choice'] as const satisfies readonly FixId[];

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
  {
    name: 'cloudfront.distribution.enable',
    role: 'admin',
    schema: z.object({ id: distributionIdSchema, enabled: z.enum(['true', 'false']).transform((v) => v === 'true') }),
    service: 'CLOUDFRONT',
  },
  async ({ id, enabled }) => {
    await setDistributionEnabled(id, enabled);
    revalidatePath(`/cloudfront/${id}`);
    return { data: undefined, message: enabled ? 'Enabling: CloudFront is deploying the change.' : 'Disabling: CloudFront is deploying the change.' };
  },
);

export const deleteDistributionAction = defineAction(
  {
    name: 'cloudfront.distribution.delete',
    role: 'admin',
    schema: z.object({ id: distributionIdSchema, confirm: z.string() }).refine((v) => v.confirm === v.id, { path: ['confirm'], message: 'Type the distribution’s id exactly to confirm.' }),
    service: 'CLOUDFRONT',
  },
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
  { name: 'cloudfront.security.fix', role: 'admin', schema: z.object({ id: distributionIdSchema, fix: z.enum(FIXES) }), service: 'CLOUDFRONT' },
  async ({ id, fix }) => {
    let message: string;
    try {
      message = await applyFix(id, fix);
    } catch (error) {
      if (error instanceof FixRefused) throw new ActionError(error.message);
      if (error instanceof PartialChange) {
        throw new ActionError(`Berth ${error.done.join(' and ')}, but ${error.failedStep} failed: ${describeAwsError(error.cause, { service: 'CLOUDFRONT' }).message} Press the fix again to finish.`);
      }
      throw error;
    }
    revalidatePath(`/cloudfront/${id}`);
    return { data: undefined, message };
  },
);
