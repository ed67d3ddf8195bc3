import './constraints/ecr';
import { codePoints, memberShape, satisfies, stringRule } from './aws-model';

// The repository-name rules the create form checks as a person types. They sit
// apart from the zod schemas in ./ecr.ts, which build on them, so the form's
// browser bundle carries these few lines and not zod: the schema on the server
// is still the check that counts, and it says the same sentences.

// The name's rule comes from ECR's current API model (models/aws-constraints.json),
// not from a copy.
// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
const REPOSITORY_NAME = stringRule('ecr', memberShape('ecr', 'CreateRepositoryRequest', 'repositoryName'));
const NAME_MIN = REPOSITORY_NAME.min ?? 1;
const NAME_MAX = REPOSITORY_NAME.max;

/** The model's pattern for a repository name (it carries its own ^…$). */
export const REPOSITORY_NAME_PATTERN = REPOSITORY_NAME.pattern ?? /^/;

/** The rule in one line, for hints. */
export const REPOSITORY_NAME_HINT = `Use ${NAME_MIN}–${NAME_MAX ?? 'any number of'} characters: lower-case letters, digits and . _ - /`;

/**
 * Every rule a repository name breaks, as sentences; empty when it is valid.
 * The model decides: a name it accepts has no problems, whatever the sentences
 * below would say. They only explain a refusal in words a person can act on.
 */
export function repositoryNameProblems(name: string): string[] {
  if (satisfies(REPOSITORY_NAME, name)) return [];
  const problems: string[] = [];
  const length = codePoints(name);
  if (length < NAME_MIN) problems.push(`Use at least ${NAME_MIN} characters.`);
  if (NAME_MAX !== undefined && length > NAME_MAX) problems.push(`Use at most ${NAME_MAX} characters.`);
  if (/[A-Z]/.test(name)) problems.push('Use lowercase letters only.');
  if (/[^a-zA-Z0-9._/-]/.test(name)) problems.push('Use only letters, digits, and . _ - /');
  if (/^[._/-]|[._/-]$/.test(name)) problems.push('Start and end with a letter or digit.');
  // A run of separators is refused only when the model refuses it between two letters
  // ("__" and "--" are fine today, "._" and "//" are not).
  const refused = [...new Set(name.match(/[._/-]{2,}/g) ?? [])].filter((run) => !REPOSITORY_NAME_PATTERN.test(`a${run}a`));
  if (refused.length) {
    const shown = refused.slice(0, 3).map((run) => `“${run.length > 8 ? `${run.slice(0, 8)}…` : run}”`);
    problems.push(`Put a letter or digit between the separators in ${shown.join(', ')}.`);
  }
  if (problems.length === 0) problems.push(`This is not a valid repository name. ${REPOSITORY_NAME_HINT}.`);
  return problems;
}
