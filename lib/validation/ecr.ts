import { z } from 'zod';
import { lifecyclePolicyProblems } from './ecr-policy';
import { checkbox, confirmField, regionField } from './fields';
import { policyProblems } from './policy';
import './constraints/ecr';
import { codePoints, enumSubset, memberShape, stringRule } from './aws-model';
import { repositoryNameProblems } from './ecr-rules';

// ECR's own rules come from its current API model (models/aws-constraints.json),
// not from a copy: RepositoryName (in ./ecr-rules.ts), the settings' enums, the
// policy texts' lengths.
// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
export { REPOSITORY_NAME_HINT, REPOSITORY_NAME_PATTERN, repositoryNameProblems } from './ecr-rules';

export const repositoryNameSchema = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    for (const message of repositoryNameProblems(name)) ctx.addIssue({ code: 'custom', message });
  });

// The forms offer the settings that need no further fields: the *_WITH_EXCLUSION
// mutabilities need exclusion filters, and KMS_DSSE is not offered; both stay
// possible outside Berth. Each offered value is checked against the model's enum.
export const TAG_MUTABILITIES = enumSubset('ecr', 'ImageTagMutability', ['MUTABLE', 'IMMUTABLE']);
export const ENCRYPTION_TYPES = enumSubset('ecr', 'EncryptionType', ['AES256', 'KMS']);
const KMS_KEY = stringRule('ecr', memberShape('ecr', 'EncryptionConfiguration', 'kmsKey'));

const createRepositoryFields = z.object({
  name: repositoryNameSchema,
  tagMutability: z.enum(TAG_MUTABILITIES).default('MUTABLE'),
  scanOnPush: checkbox,
  encryption: z.enum(ENCRYPTION_TYPES).default('AES256'),
  kmsKey: z
    .string()
    .trim()
    .max(KMS_KEY.max ?? Infinity)
    .optional()
    .transform((v) => v || undefined),
});

/**
 * The model takes any 1–2,048 characters; ECR's guide says which: a key id (a
 * UUID, or mrk-… for a multi-Region key), a key ARN, an alias or an alias ARN.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_EncryptionConfiguration.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id
 */
const KMS_KEY_FORMS = /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+|alias\/.+|[0-9a-f-]{36}|mrk-[0-9a-f]{32})$/;

function checkKmsKey(v: { encryption: string; kmsKey?: string }, ctx: z.RefinementCtx) {
  if (v.kmsKey && v.encryption !== 'KMS') {
    ctx.addIssue({ code: 'custom', path: ['kmsKey'], message: 'A KMS key applies only with KMS encryption.' });
  }
  if (v.kmsKey && !KMS_KEY_FORMS.test(v.kmsKey)) {
    ctx.addIssue({ code: 'custom', path: ['kmsKey'], message: 'Give a KMS key ARN, key id or alias (alias/name).' });
  }
}

export const createRepositorySchema = createRepositoryFields.superRefine(checkKmsKey);
/** What the create form posts: the fields plus the region it was rendered for. */
export const createRepositoryFormSchema = createRepositoryFields.extend({ region: regionField }).superRefine(checkKmsKey);
export type CreateRepositoryInput = z.output<typeof createRepositorySchema>;

export const repositorySettingsSchema = z.object({
  name: repositoryNameSchema,
  tagMutability: z.enum(TAG_MUTABILITIES),
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

const REPOSITORY_POLICY = stringRule('ecr', memberShape('ecr', 'SetRepositoryPolicyRequest', 'policyText'));
const POLICY_MAX = REPOSITORY_POLICY.max ?? Infinity;
const LIFECYCLE_POLICY = stringRule('ecr', memberShape('ecr', 'PutLifecyclePolicyRequest', 'lifecyclePolicyText'));
const LIFECYCLE_MAX = LIFECYCLE_POLICY.max ?? Infinity;

/** A policy document no longer than `max` characters (as the model counts them), with the problems `check` finds. */
function policyText(what: string, max: number, check: (text: string) => string[]) {
  return z
    .string()
    .refine((text) => codePoints(text) <= max, `A ${what} can be at most ${max.toLocaleString('en-US')} characters.`)
    .superRefine((text, ctx) => {
      if (codePoints(text) > max) return; // said once, above
      for (const message of check(text)) ctx.addIssue({ code: 'custom', message });
    });
}

/** A repository policy: no longer than ECR's model allows, and a document AWS would take. */
export const repositoryPolicySchema = repositoryRefSchema.extend({
  policy: policyText('repository policy', POLICY_MAX, (text) => policyProblems(text, 'resource')),
});

/** A lifecycle policy: within ECR's model's lengths, with rules ECR would take. */
export const lifecyclePolicySchema = repositoryRefSchema.extend({
  policy: policyText('lifecycle policy', LIFECYCLE_MAX, lifecyclePolicyProblems),
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
