'use client';

import { useActionState, useEffect, useRef } from 'react';
import { saveUserAction } from '@/app/(console)/settings/users/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, inputClass } from '@/components/ui/field';
import type { ActionResult } from '@/lib/auth/action';

export function UserForm() {
  const [state, action, pending] = useActionState<ActionResult | undefined, FormData>(saveUserAction, undefined);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) formRef.current?.reset();
  }, [state]);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form ref={formRef} action={action} className="space-y-4" noValidate data-testid="user-form">
      <Field label="Email" htmlFor="user-email" errors={errors?.email}>
        <input id="user-email" name="email" type="email" required className={inputClass} aria-invalid={Boolean(errors?.email)} aria-describedby="user-email-errors" />
      </Field>
      <Field label="Name" htmlFor="user-name" hint="Optional; shown in the user menu.">
        <input id="user-name" name="name" className={inputClass} />
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
      <div aria-live="polite">
        {state ? <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert> : null}
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Save user'}
      </Button>
    </form>
  );
}
