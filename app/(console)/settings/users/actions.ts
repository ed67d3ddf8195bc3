'use server';

import { revalidatePath } from 'next/cache';
import { ActionError, defineAction } from '@/lib/auth/action';
import { findUser, removeUser, upsertUser } from '@/lib/auth/users';
import { removeUserSchema, userFormSchema } from '@/lib/validation/user';

export const saveUserAction = defineAction(
  { name: 'users.save', role: 'admin', schema: userFormSchema },
  async (input) => {
    const existing = await findUser(input.email);
    if (!existing && !input.password) {
      throw new ActionError('A new user needs a password.', { password: ['Set a password of at least 12 characters.'] });
    }
    const { created } = await upsertUser(input);
    revalidatePath('/settings/users');
    return { data: undefined, message: created ? `Added ${input.email} as ${input.role}.` : `Updated ${input.email}.` };
  },
);

export const removeUserAction = defineAction(
  { name: 'users.remove', role: 'admin', schema: removeUserSchema },
  async ({ email }, { user }) => {
    if (email === user.email) throw new ActionError('You cannot remove your own account while signed in with it.');
    if (!(await removeUser(email))) throw new ActionError(`There is no user ${email}.`);
    revalidatePath('/settings/users');
    return { data: undefined, message: `Removed ${email}. Their session ends on their next request.` };
  },
);
