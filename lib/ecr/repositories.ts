import 'server-only';
import { cache } from 'react';
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeRepositoriesCommand,
  paginateDescribeRepositories,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  type Repository,
} from '@aws-sdk/client-ecr';
import { ecrClient } from '@/lib/aws/clients';
import { sharedReads, writing, type Fresh, type ReadSpec } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import type { CreateRepositoryInput } from '@/lib/validation/ecr';
import './errors';

export interface RepositorySummary {
  name: string;
  uri: string;
  arn: string;
  registryId: string;
  createdAt: string | null;
  tagMutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  encryption: string;
  kmsKey: string | null;
}

function toSummary(r: Repository): RepositorySummary {
  return {
    name: r.repositoryName ?? '',
    uri: r.repositoryUri ?? '',
    arn: r.repositoryArn ?? '',
    registryId: r.registryId ?? '',
    createdAt: r.createdAt?.toISOString() ?? null,
    tagMutability: r.imageTagMutability === 'IMMUTABLE' ? 'IMMUTABLE' : 'MUTABLE',
    scanOnPush: Boolean(r.imageScanningConfiguration?.scanOnPush),
    encryption: r.encryptionConfiguration?.encryptionType ?? 'AES256',
    kmsKey: r.encryptionConfiguration?.kmsKey ?? null,
  };
}

const repositoriesSpec = (region: string): ReadSpec<RepositorySummary[]> => ({
  key: 'ecr:repositories',
  region,
  tags: [readTags.repositories(region)],
  weight: (list) => list.length,
});

/**
 * Every repository in the region, a page of 1,000 (ECR's maximum) per call,
 * shared by every viewer for the read cache's time (lib/aws/read-cache.ts),
 * with when it was read.
 */
export const readRepositories = cache(
  (region: string): Promise<Fresh<RepositorySummary[]>> =>
    sharedReads().read(repositoriesSpec(region), async () => {
      const out: RepositorySummary[] = [];
      for await (const page of paginateDescribeRepositories({ client: ecrClient(region), pageSize: 1000 }, {})) {
        for (const r of page.repositories ?? []) out.push(toSummary(r));
      }
      return out.sort((a, b) => a.name.localeCompare(b.name));
    }),
);

/** Every repository in the region (see readRepositories). */
export const listRepositories = cache(async (region: string): Promise<RepositorySummary[]> => (await readRepositories(region)).value);

/**
 * One repository, or null when it does not exist. Taken from the shared list
 * when someone has just read it (the repository page then costs no
 * DescribeRepositories), else asked for alone: one missing from the list may
 * have been made since.
 */
export const getRepository = cache(async (region: string, name: string): Promise<RepositorySummary | null> => {
  const listed = (await sharedReads().peek(repositoriesSpec(region)))?.value.find((r) => r.name === name);
  if (listed) return listed;
  try {
    const out = await ecrClient(region).send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    const r = out.repositories?.[0];
    return r ? toSummary(r) : null;
  } catch (error) {
    if ((error as Error).name === 'RepositoryNotFoundException') return null;
    throw error;
  }
});

// Every write below forgets what it changes in the shared reads, also when it
// fails part-way (the change may have landed before the error).

export async function createRepository(region: string, input: CreateRepositoryInput): Promise<RepositorySummary> {
  const out = await writing([readTags.repositories(region)], () =>
    ecrClient(region).send(
      new CreateRepositoryCommand({
        repositoryName: input.name,
        imageTagMutability: input.tagMutability,
        imageScanningConfiguration: { scanOnPush: input.scanOnPush },
        encryptionConfiguration: { encryptionType: input.encryption, kmsKey: input.encryption === 'KMS' ? input.kmsKey : undefined },
      }),
    ),
  );
  return toSummary(out.repository ?? {});
}

export async function updateRepositorySettings(
  region: string,
  name: string,
  settings: { tagMutability: 'MUTABLE' | 'IMMUTABLE'; scanOnPush: boolean },
): Promise<void> {
  const client = ecrClient(region);
  await writing([readTags.repositories(region)], async () => {
    // Two calls: ECR has no single "update repository". The second runs only if the first succeeded.
    await client.send(new PutImageTagMutabilityCommand({ repositoryName: name, imageTagMutability: settings.tagMutability }));
    await client.send(
      new PutImageScanningConfigurationCommand({ repositoryName: name, imageScanningConfiguration: { scanOnPush: settings.scanOnPush } }),
    );
  });
}

export async function deleteRepository(region: string, name: string, force: boolean): Promise<void> {
  await writing([readTags.repositories(region), readTags.images(region, name)], () =>
    ecrClient(region).send(new DeleteRepositoryCommand({ repositoryName: name, force })),
  );
}
