import { codePoints, satisfies, type StringRule } from './aws-model';

// ECR's and ECR Public's repository names follow rules of one shape (lengths
// and a pattern of lower-case letters and digits between single separators),
// though each service's model holds its own numbers. These explain a refusal
// of either in words; the caller passes its service's rule, so a form's
// bundle carries only its own service's constraints.

/** The rule in one line, for hints. */
export function repositoryNameHint(rule: StringRule): string {
  return `Use ${rule.min ?? 1}–${rule.max ?? 'any number of'} characters: lower-case letters, digits and . _ - /`;
}

/**
 * Every rule a repository name breaks, as sentences; empty when it is valid.
 * The model decides: a name it accepts has no problems, whatever the sentences
 * below would say. They only explain a refusal in words a person can act on.
 * `noun` names the thing in the last resort sentence ("repository name").
 */
export function repositoryNameProblemsUnder(rule: StringRule, name: string, noun: string): string[] {
  if (satisfies(rule, name)) return [];
  const min = rule.min ?? 1;
  const problems: string[] = [];
  const length = codePoints(name);
  if (length < min) problems.push(`Use at least ${min} characters.`);
  if (rule.max !== undefined && length > rule.max) problems.push(`Use at most ${rule.max} characters.`);
  if (/[A-Z]/.test(name)) problems.push('Use lowercase letters only.');
  if (/[^a-zA-Z0-9._/-]/.test(name)) problems.push('Use only letters, digits, and . _ - /');
  if (/^[._/-]|[._/-]$/.test(name)) problems.push('Start and end with a letter or digit.');
  // A run of separators is refused only when the model refuses it between two letters
  // ("__" and "--" are fine today, "._" and "//" are not).
  const pattern = rule.pattern ?? /^/;
  const refused = [...new Set(name.match(/[._/-]{2,}/g) ?? [])].filter((run) => !pattern.test(`a${run}a`));
  if (refused.length) {
    const shown = refused.slice(0, 3).map((run) => `“${run.length > 8 ? `${run.slice(0, 8)}…` : run}”`);
    problems.push(`Put a letter or digit between the separators in ${shown.join(', ')}.`);
  }
  if (problems.length === 0) problems.push(`This is not a valid ${noun}. ${repositoryNameHint(rule)}.`);
  return problems;
}
