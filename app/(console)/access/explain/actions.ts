'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/auth/action';
import { applyFix } from '@/lib/iam/apply-fix';
import { applyFixSchema } from '@/lib/validation/explain';

export const applyExplainFixAction = defineAction(
  { name: 'access.explain.apply', role: 'admin', schema: applyFixSchema, service: 'IAM' },
  async (input) => {
    const out = await applyFix(input);
    revalidatePath('/access/explain');
    return { data: undefined, message: out.changed ? `Saved ${out.what}. The verdict below is asked again.` : `${out.what} already allows it; nothing was written.` };
  },
);
