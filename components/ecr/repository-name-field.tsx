'use client';

import { useState, type ReactNode } from 'react';
import { Field, inputClass } from '@/components/ui/field';

/**
 * The repository name field of the private and the public create forms: the
 * name is checked as it is typed (once typed into or left), the browser's
 * check gives way to those rules, and the server's field error shows only
 * while the live check has nothing to say. Each form passes its own rules
 * (ECR's and ECR Public's differ) and its own hint.
 */
export function useRepositoryName(problemsOf: (name: string) => string[], serverErrors: string[] | undefined) {
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const live = touched || name.length > 0 ? problemsOf(name.trim()) : [];
  return {
    name,
    setName,
    onBlur: () => setTouched(true),
    errors: live.length ? live : (serverErrors ?? []),
    /** A name typed and known to be wrong: submitting would only come back with the same errors. */
    invalid: name.length > 0 && live.length > 0,
  };
}

export function RepositoryNameField({ field, hint }: { field: ReturnType<typeof useRepositoryName>; hint: ReactNode }) {
  return (
    <Field label="Repository name" htmlFor="repo-name" errors={field.errors} hint={hint}>
      <input
        id="repo-name"
        name="name"
        value={field.name}
        autoFocus
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => field.setName(e.target.value)}
        onBlur={field.onBlur}
        className={`${inputClass} font-mono`}
        aria-invalid={field.errors.length > 0}
        aria-describedby="repo-name-errors"
      />
    </Field>
  );
}
