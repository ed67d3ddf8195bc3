'use server';

import { revalidatePath } from 'next/cache';
import { noteAudit } from '@/lib/audit/scope';
import { ActionError, defineAction } from '@/lib/auth/action';
import { findUser, LastAdminError, removeUser, upsertUser } from '@/lib/auth/users';
import { removeUserSchema, userFormSchema } from '@/lib/validation/user';

export const saveUserAction = defineAction(
  { name: 'users.save', role: 'admin', schema: userFormSchema },
  async (input) => {
    // Whom it was about, for the audit trail (never the password).
    noteAudit({ detail: { email: input.email, role: input.role, password: input.password ? 'set' : 'kept' } });
    const existing = await findUser(input.email);
    if (!existing && !input.password) {
      throw new ActionError('A new user needs a password.', { password: ['Set a password of at least 12 characters.'] });
    }
    let created: boolean;
    try {
      ({ created } = await upsertUser(input));
    } catch (error) {
      if (error instanceof LastAdminError) throw new ActionError(`${input.email} is the last admin. ${error.message}`, { role: [error.message] });
      throw error;
    }
    revalidatePath('/settings/users');
    if (created) return { data: undefined, message: `Added ${input.email} as ${input.role}.` };
    const ended = existing && (existing.role !== input.role || input.password);
    return { data: undefined, message: ended ? `Updated ${input.email}. Their sessions end on their next request.` : `Updated ${input.email}.` };
  },
);

export const removeUserAction = defineAction(
  { name: 'users.remove', role: 'admin', schema: removeUserSchema },
  async ({ email }, { user }) => {
    noteAudit({ detail: { email } });
    if (email === user.email) throw new ActionError('You cannot remove your own account while signed in with it.');
    let removed: boolean;
    try {
      removed = await removeUser(email);
    } catch (error) {
      if (error instanceof LastAdminError) throw new ActionError(`${email} is the last admin. ${error.message}`);
      throw error;
    }
    if (!removed) throw new ActionError(`There is no user ${email}.`);
    revalidatePath('/settings/users');
    return { data: undefined, message: `Removed ${email}. Their session ends on their next request.` };
  },
);
