import { z } from 'zod';
import { lifecyclePolicyProblems } from './ecr-policy';
import { checkbox, confirmField, regionField } from './fields';
import { policyProblems } from './policy';

// ECR's own rules, from the service model (RepositoryName: 2–256 characters,
// pattern below; ImageTag: 1–300): https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
export const REPOSITORY_NAME_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** Every rule a repository name breaks, as sentences; empty when it is valid. */
export function repositoryNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 2) problems.push('Use at least 2 characters.');
  if (name.length > 256) problems.push('Use at most 256 characters.');
  if (/[A-Z]/.test(name)) problems.push('Use lowercase letters only.');
  if (/[^a-zA-Z0-9._/-]/.test(name)) problems.push('Use only letters, digits, and . _ - /');
  if (/^[._/-]|[._/-]$/.test(name)) problems.push('Start and end with a letter or digit.');
  if (/[._-]{2,}|\/{2,}|[._-]\/|\/[._-]/.test(name)) {
    problems.push('Put a letter or digit between separators (no "--", "//", "-/" and so on).');
  }
  if (problems.length === 0 && !REPOSITORY_NAME_PATTERN.test(name)) problems.push('This is not a valid repository name.');
  return problems;
}

export const repositoryNameSchema = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    for (const message of repositoryNameProblems(name)) ctx.addIssue({ code: 'custom', message });
  });

const createRepositoryFields = z.object({
  name: repositoryNameSchema,
  tagMutability: z.enum(['MUTABLE', 'IMMUTABLE']).default('MUTABLE'),
  scanOnPush: checkbox,
  encryption: z.enum(['AES256', 'KMS']).default('AES256'),
  kmsKey: z
    .string()
    .trim()
    .max(2048)
    .optional()
    .transform((v) => v || undefined),
});

function checkKmsKey(v: { encryption: string; kmsKey?: string }, ctx: z.RefinementCtx) {
  if (v.kmsKey && v.encryption !== 'KMS') {
    ctx.addIssue({ code: 'custom', path: ['kmsKey'], message: 'A KMS key applies only with KMS encryption.' });
  }
  if (v.kmsKey && !/^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+|alias\/.+|[0-9a-f-]{36})$/.test(v.kmsKey)) {
    ctx.addIssue({ code: 'custom', path: ['kmsKey'], message: 'Give a KMS key ARN, key id or alias (alias/name).' });
  }
}

export const createRepositorySchema = createRepositoryFields.superRefine(checkKmsKey);
/** What the create form posts: the fields plus the region it was rendered for. */
export const createRepositoryFormSchema = createRepositoryFields.extend({ region: regionField }).superRefine(checkKmsKey);
export type CreateRepositoryInput = z.output<typeof createRepositorySchema>;

export const repositorySettingsSchema = z.object({
  name: repositoryNameSchema,
  tagMutability: z.enum(['MUTABLE', 'IMMUTABLE']),
  scanOnPush: checkbox,
});

export const IMAGE_DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
export const imageDigestSchema = z.string().regex(IMAGE_DIGEST_PATTERN, 'Not an image digest (sha256:…).');

export const deleteImagesSchema = z.object({
  name: repositoryNameSchema,
  digests: z.preprocess(
    (v) => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []),
    z.array(imageDigestSchema).min(1, 'Select at least one image.').max(1000, 'Delete at most 1,000 images at a time.'),
  ),
});

export const deleteRepositorySchema = z
  .object({ name: repositoryNameSchema, confirm: confirmField, force: checkbox })
  .refine((v) => v.confirm === v.name, { path: ['confirm'], message: 'Type the repository’s name exactly to confirm.' });

// What each action on one repository posts: the form's fields plus the region
// the page was rendered for.

const inRegion = { region: regionField };

export const repositoryRefSchema = z.object({ ...inRegion, name: repositoryNameSchema });

export const deleteImagesActionSchema = deleteImagesSchema.extend(inRegion);

export const repositorySettingsActionSchema = repositorySettingsSchema.extend(inRegion);

/** A repository policy: at most 10,240 characters (ECR's limit), and a document AWS would take. */
export const repositoryPolicySchema = repositoryRefSchema.extend({
  policy: z
    .string()
    .max(10240, 'A repository policy can be at most 10,240 characters.')
    .superRefine((text, ctx) => {
      if (text.length > 10240) return; // said once, above
      for (const message of policyProblems(text, 'resource')) ctx.addIssue({ code: 'custom', message });
    }),
});

/** A lifecycle policy: 100–30,720 characters (ECR's limits), with rules ECR would take. */
export const lifecyclePolicySchema = repositoryRefSchema.extend({
  policy: z
    .string()
    .max(30720, 'A lifecycle policy can be at most 30,720 characters.')
    .superRefine((text, ctx) => {
      if (text.length > 30720) return; // said once, above
      for (const message of lifecyclePolicyProblems(text)) ctx.addIssue({ code: 'custom', message });
    }),
});

/**
 * The document as the page showed it (empty for none): a save is refused when
 * ECR's copy changed since, so an editor open for minutes cannot undo a change
 * made meanwhile (lib/aws/shared-document.ts).
 */
const basisField = z.string().max(40_000, 'The page is out of date; reload it.').transform((v) => v || null);
export const saveRepositoryPolicySchema = repositoryPolicySchema.extend({ basis: basisField });
export const saveLifecyclePolicySchema = lifecyclePolicySchema.extend({ basis: basisField });
/** Removing a repository or lifecycle policy, as the page showed it. */
export const deletePolicyDocumentSchema = repositoryRefSchema.extend({ basis: basisField });

export const deleteRepositoryActionSchema = deleteRepositorySchema.and(z.object(inRegion));

export const startScanSchema = repositoryRefSchema.extend({ digest: imageDigestSchema });
