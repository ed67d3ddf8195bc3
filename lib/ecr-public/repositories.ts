import 'server-only';
import { cache } from 'react';
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeRepositoriesCommand,
  GetRepositoryCatalogDataCommand,
  GetRepositoryPolicyCommand,
  paginateDescribeRepositories,
  PutRepositoryCatalogDataCommand,
  type Repository,
  type RepositoryCatalogDataInput,
} from '@aws-sdk/client-ecr-public';
import { ecrPublicClient, ECR_PUBLIC_REGION } from '@/lib/aws/clients';
import { sharedReads, writing, type Fresh, type ReadSpec } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import type { CatalogDataInput, CreatePublicRepositoryInput } from '@/lib/validation/ecr-public';
import './errors';

export interface PublicRepositorySummary {
  name: string;
  /** As ECR Public answered it: `public.ecr.aws/<alias>/<name>` on AWS. */
  uri: string;
  arn: string;
  registryId: string;
  createdAt: string | null;
}

export interface CatalogData {
  description: string;
  aboutText: string;
  usageText: string;
  architectures: string[];
  operatingSystems: string[];
  logoUrl: string | null;
  marketplaceCertified: boolean;
}

function toSummary(r: Repository): PublicRepositorySummary {
  return {
    name: r.repositoryName ?? '',
    uri: r.repositoryUri ?? '',
    arn: r.repositoryArn ?? '',
    registryId: r.registryId ?? '',
    createdAt: r.createdAt?.toISOString() ?? null,
  };
}

const listSpec = (): ReadSpec<PublicRepositorySummary[]> => ({
  key: 'ecr-public:repositories',
  region: ECR_PUBLIC_REGION,
  tags: [readTags.publicRepositories()],
  weight: (list) => list.length,
});

/**
 * Every public repository in the account, 1,000 (the model's maximum) per
 * DescribeRepositories page, shared by every viewer for the read cache's time.
 * One list whatever region a page is about: ECR Public is one registry.
 */
export const readPublicRepositories = cache(
  (): Promise<Fresh<PublicRepositorySummary[]>> =>
    sharedReads().read(listSpec(), async () => {
      const out: PublicRepositorySummary[] = [];
      for await (const page of paginateDescribeRepositories({ client: ecrPublicClient(), pageSize: 1000 }, {})) {
        for (const r of page.repositories ?? []) out.push(toSummary(r));
      }
      return out.sort((a, b) => a.name.localeCompare(b.name));
    }),
);

/** One public repository, or null when it does not exist (from the shared list when it is warm). */
export const getPublicRepository = cache(async (name: string): Promise<PublicRepositorySummary | null> => {
  const listed = (await sharedReads().peek(listSpec()))?.value.find((r) => r.name === name);
  if (listed) return listed;
  try {
    const out = await ecrPublicClient().send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    const r = out.repositories?.[0];
    return r ? toSummary(r) : null;
  } catch (error) {
    if ((error as Error).name === 'RepositoryNotFoundException') return null;
    throw error;
  }
});

const EMPTY_CATALOG: CatalogData = { description: '', aboutText: '', usageText: '', architectures: [], operatingSystems: [], logoUrl: null, marketplaceCertified: false };

/**
 * A repository's catalog data, the Gallery's page for it. One never given any
 * reads as empty (the model lists RepositoryCatalogDataNotFoundException for
 * that case).
 * https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_GetRepositoryCatalogData.html
 */
export const getCatalogData = cache(async (name: string): Promise<CatalogData> => {
  try {
    const out = await ecrPublicClient().send(new GetRepositoryCatalogDataCommand({ repositoryName: name }));
    const c = out.catalogData ?? {};
    return {
      description: c.description ?? '',
      aboutText: c.aboutText ?? '',
      usageText: c.usageText ?? '',
      architectures: c.architectures ?? [],
      operatingSystems: c.operatingSystems ?? [],
      logoUrl: c.logoUrl || null,
      marketplaceCertified: Boolean(c.marketplaceCertified),
    };
  } catch (error) {
    if ((error as Error).name === 'RepositoryCatalogDataNotFoundException') return EMPTY_CATALOG;
    throw error;
  }
});

/** The repository policy's text, or null when it has none. */
export const getPublicRepositoryPolicy = cache(async (name: string): Promise<string | null> => {
  try {
    const out = await ecrPublicClient().send(new GetRepositoryPolicyCommand({ repositoryName: name }));
    return out.policyText ?? null;
  } catch (error) {
    if ((error as Error).name === 'RepositoryPolicyNotFoundException') return null;
    throw error;
  }
});

/**
 * Catalog data as the API takes it. Every text and list is sent, empty ones
 * too (the model allows 0 characters and empty lists), so a field the person
 * cleared is cleared whether the service merges or replaces what it had.
 */
function catalogInput(c: CatalogDataInput): RepositoryCatalogDataInput {
  return {
    description: c.description,
    aboutText: c.aboutText,
    usageText: c.usageText,
    architectures: c.architectures,
    operatingSystems: c.operatingSystems,
  };
}

export async function createPublicRepository(input: CreatePublicRepositoryInput): Promise<PublicRepositorySummary> {
  const out = await writing([readTags.publicRepositories()], () =>
    ecrPublicClient().send(new CreateRepositoryCommand({ repositoryName: input.name, catalogData: catalogInput(input) })),
  );
  return toSummary(out.repository ?? {});
}

export async function updateCatalogData(name: string, input: CatalogDataInput): Promise<void> {
  await ecrPublicClient().send(new PutRepositoryCatalogDataCommand({ repositoryName: name, catalogData: catalogInput(input) }));
}

export async function deletePublicRepository(name: string, force: boolean): Promise<void> {
  await writing([readTags.publicRepositories(), readTags.publicImages(name)], () =>
    ecrPublicClient().send(new DeleteRepositoryCommand({ repositoryName: name, force })),
  );
}
