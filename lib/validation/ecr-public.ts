import { z } from 'zod';
import { codePoints, satisfies } from './aws-model';
import { CATALOG_LIMITS, publicRepositoryNameProblems } from './ecr-public-rules';
import { checkbox, confirmField, many } from './fields';

// ECR Public's forms: creating a public repository with its catalog data,
// editing the catalog data, deleting a repository. ECR Public has no regions
// to choose (its API is us-east-1), so no schema carries one.
export { GALLERY_ARCHITECTURES, GALLERY_OPERATING_SYSTEMS, CATALOG_LIMITS, PUBLIC_NAME_HINT, publicRepositoryNameProblems } from './ecr-public-rules';

export const publicRepositoryNameSchema = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    for (const message of publicRepositoryNameProblems(name)) ctx.addIssue({ code: 'custom', message });
  });

/** A catalog text no longer than the model allows; empty means none. */
function catalogText(what: string, max: number) {
  return z
    .string()
    .default('')
    .refine((v) => codePoints(v) <= max, `The ${what} can be at most ${max.toLocaleString('en-US')} characters.`);
}

/** Architectures or operating systems: each 1–50 characters, at most so many, no repeats. */
function badgeList(what: string, rule: typeof CATALOG_LIMITS.architecture, max: number) {
  return many(z.string().trim())
    .transform((list) => [...new Set(list.filter(Boolean))])
    .superRefine((list, ctx) => {
      if (list.length > max) ctx.addIssue({ code: 'custom', message: `Choose at most ${max} ${what}.` });
      for (const v of list) {
        if (!satisfies(rule, v)) ctx.addIssue({ code: 'custom', message: `“${v.slice(0, 60)}” is not a value ECR Public takes (${rule.min ?? 1}–${rule.max} characters).` });
      }
    });
}

export const catalogDataSchema = z.object({
  description: catalogText('description', CATALOG_LIMITS.description),
  aboutText: catalogText('about text', CATALOG_LIMITS.aboutText),
  usageText: catalogText('usage text', CATALOG_LIMITS.usageText),
  architectures: badgeList('architectures', CATALOG_LIMITS.architecture, CATALOG_LIMITS.architectures),
  operatingSystems: badgeList('operating systems', CATALOG_LIMITS.operatingSystem, CATALOG_LIMITS.operatingSystems),
});
export type CatalogDataInput = z.output<typeof catalogDataSchema>;

export const createPublicRepositorySchema = catalogDataSchema.extend({ name: publicRepositoryNameSchema });
export type CreatePublicRepositoryInput = z.output<typeof createPublicRepositorySchema>;

export const updateCatalogDataSchema = catalogDataSchema.extend({ name: publicRepositoryNameSchema });

export const deletePublicRepositorySchema = z
  .object({ name: publicRepositoryNameSchema, confirm: confirmField, force: checkbox })
  .refine((v) => v.confirm === v.name, { path: ['confirm'], message: 'Type the repository’s name exactly to confirm.' });
