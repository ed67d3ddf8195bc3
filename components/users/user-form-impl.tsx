'use client';

import { useRef } from 'react';
import { saveUserAction } from '@/app/(console)/settings/users/actions';
import { fieldErrors, Outcome, useFormAction } from '@/components/ui/action-state';
import { Button } from '@/components/ui/button';
import { Field, inputClass } from '@/components/ui/field';

export function UserForm() {
  const formRef = useRef<HTMLFormElement>(null);
  // Cleared only once the user is saved; a refusal keeps every entry, the password too.
  const { state, pending, formProps } = useFormAction(saveUserAction, { onSuccess: () => formRef.current?.reset() });
  const errors = fieldErrors(state);
  return (
    <form ref={formRef} {...formProps} className="space-y-4" noValidate data-testid="user-form">
      <Field label="Email" htmlFor="user-email" errors={errors?.email}>
        <input id="user-email" name="email" type="email" required className={inputClass} aria-invalid={Boolean(errors?.email)} aria-describedby="user-email-errors" />
      </Field>
      <Field label="Name" htmlFor="user-name" errors={errors?.name} hint="Optional; shown in the user menu.">
        <input id="user-name" name="name" className={inputClass} aria-invalid={Boolean(errors?.name)} />
      </Field>
      <Field label="Role" htmlFor="user-role" errors={errors?.role}>
        <select id="user-role" name="role" defaultValue="viewer" className={inputClass}>
          <option value="viewer">Viewer: browse and copy commands</option>
          <option value="admin">Admin: create, change and delete</option>
        </select>
      </Field>
      <Field label="Password" htmlFor="user-password" errors={errors?.password} hint="At least 12 characters. Leave empty to keep an existing user’s password.">
        <input id="user-password" name="password" type="password" autoComplete="new-password" className={inputClass} aria-invalid={Boolean(errors?.password)} />
      </Field>
      <Outcome state={state} />
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Save user'}
      </Button>
    </form>
  );
}
