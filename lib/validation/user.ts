import { z } from 'zod';
import { ROLES } from '@/lib/auth/roles';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Enter an email address like name@example.com.' }));

export const passwordSchema = z
  .string()
  .min(12, { message: 'Use at least 12 characters.' })
  .max(200, { message: 'Use at most 200 characters.' });

/** What the sign-in form posts. Length limits keep bcrypt's work bounded. */
export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().min(1).max(200),
});

export const userFormSchema = z.object({
  email: emailSchema,
  name: z.string().trim().max(100).optional().transform((v) => (v ? v : undefined)),
  role: z.enum(ROLES, { message: 'Choose viewer or admin.' }),
  // Empty on update means "keep the current password".
  password: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(passwordSchema.optional()),
});
export type UserForm = z.infer<typeof userFormSchema>;

export const removeUserSchema = z.object({ email: emailSchema });
