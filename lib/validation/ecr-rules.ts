import './constraints/ecr';
import { memberShape, stringRule } from './aws-model';
import { repositoryNameHint, repositoryNameProblemsUnder } from './repository-name';

// The repository-name rules the create form checks as a person types. They sit
// apart from the zod schemas in ./ecr.ts, which build on them, so the form's
// browser bundle carries these few lines and not zod: the schema on the server
// is still the check that counts, and it says the same sentences.

// The name's rule comes from ECR's current API model (models/aws-constraints.json),
// not from a copy.
// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
const REPOSITORY_NAME = stringRule('ecr', memberShape('ecr', 'CreateRepositoryRequest', 'repositoryName'));

/** The model's pattern for a repository name (it carries its own ^…$). */
export const REPOSITORY_NAME_PATTERN = REPOSITORY_NAME.pattern ?? /^/;

/** The rule in one line, for hints. */
export const REPOSITORY_NAME_HINT = repositoryNameHint(REPOSITORY_NAME);

/** Every rule a repository name breaks, as sentences; empty when the model accepts it. */
export const repositoryNameProblems = (name: string): string[] => repositoryNameProblemsUnder(REPOSITORY_NAME, name, 'repository name');
