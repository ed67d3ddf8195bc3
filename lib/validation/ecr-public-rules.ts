import './constraints/ecr-public';
import { boundsOf, memberShape, stringRule } from './aws-model';
import { repositoryNameHint, repositoryNameProblemsUnder } from './repository-name';

// ECR Public's rules for a repository name and its catalog data, zod-free so
// the forms check as a person types without carrying zod (./ecr-public.ts
// builds the schemas that count on them). Every number comes from ECR Public's
// current API model (models/aws-constraints.json).
// https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_CreateRepository.html
// https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_RepositoryCatalogDataInput.html

const NAME = stringRule('ecr-public', memberShape('ecr-public', 'CreateRepositoryRequest', 'repositoryName'));
export const PUBLIC_NAME_HINT = repositoryNameHint(NAME);

/** Every rule a public repository name breaks, as sentences; empty when the model accepts it. */
export const publicRepositoryNameProblems = (name: string): string[] => repositoryNameProblemsUnder(NAME, name, 'public repository name');

const DESCRIPTION = stringRule('ecr-public', memberShape('ecr-public', 'RepositoryCatalogDataInput', 'description'));
const ABOUT = stringRule('ecr-public', memberShape('ecr-public', 'RepositoryCatalogDataInput', 'aboutText'));
const USAGE = stringRule('ecr-public', memberShape('ecr-public', 'RepositoryCatalogDataInput', 'usageText'));
const ARCHITECTURES = boundsOf('ecr-public', memberShape('ecr-public', 'RepositoryCatalogDataInput', 'architectures'));
const OPERATING_SYSTEMS = boundsOf('ecr-public', memberShape('ecr-public', 'RepositoryCatalogDataInput', 'operatingSystems'));
const ARCHITECTURE = stringRule('ecr-public', 'Architecture');
const OPERATING_SYSTEM = stringRule('ecr-public', 'OperatingSystem');

/** The longest each catalog text may be, in characters as the model counts them. */
export const CATALOG_LIMITS = {
  description: DESCRIPTION.max ?? Infinity,
  aboutText: ABOUT.max ?? Infinity,
  usageText: USAGE.max ?? Infinity,
  architectures: ARCHITECTURES.max ?? Infinity,
  operatingSystems: OPERATING_SYSTEMS.max ?? Infinity,
  architecture: ARCHITECTURE,
  operatingSystem: OPERATING_SYSTEM,
} as const;

/**
 * The architectures and operating systems the Amazon ECR Public Gallery shows
 * as badges and search filters. The model types both as free strings (1–50
 * characters, at most 50 of each), and its documentation of
 * RepositoryCatalogDataInput lists these values; others are kept by the API but
 * not shown by the Gallery, so the forms offer these and keep any other value a
 * repository already has.
 */
export const GALLERY_ARCHITECTURES = ['ARM', 'ARM 64', 'x86', 'x86-64'] as const;
export const GALLERY_OPERATING_SYSTEMS = ['Linux', 'Windows'] as const;
