import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeRepositoriesCommand, ECRPUBLICClient, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr-public';
import { makeImage } from '@/emulator/test-support/ecr';
import { pushPublicImage } from '@/emulator/test-support/ecr-public';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';

// lib/ecr-public over a real emulator process, with the unmodified SDK: what
// the console reads and writes, and how ECR Public's refusals read to a person.
// Addresses are taken from what the service answered; the test checks only
// that they are consistent with one another and with the emulator's own
// DescribeRegistries, never a host written here.

let emu: SpawnedEmulator;
let direct: ECRPUBLICClient;
const SEEDED = 'berth-demo/hello';
const NEW = 'pubconsole/tool';

beforeAll(async () => {
  // A region other than ECR Public's: the console must still call us-east-1.
  emu = await startConsoleEmulator({ args: ['--quiet'] }, { region: 'eu-west-1' });
  direct = new ECRPUBLICClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
afterAll(() => stopConsoleEmulator(emu));

const lib = async () => ({
  ...(await import('./registry')),
  ...(await import('./repositories')),
  ...(await import('./images')),
  ...(await import('@/lib/aws/errors')),
});

describe('reading', () => {
  it('finds the registry, its alias and address', async () => {
    const { getPublicRegistry } = await lib();
    const reg = await getPublicRegistry();
    expect(reg).not.toBeNull();
    expect(reg!.alias).toMatch(/^[a-z][a-z0-9]{7}$/);
    expect(reg!.registryUri).toBe(`${reg!.host}/${reg!.alias}`);
    expect(reg!.displayName).toBe('Berth demo');
  });

  it('lists the seeded public repository with the URI ECR Public gave it', async () => {
    const { readPublicRepositories, getPublicRegistry } = await lib();
    const reg = (await getPublicRegistry())!;
    const list = (await readPublicRepositories()).value;
    const hello = list.find((r) => r.name === SEEDED);
    expect(hello).toMatchObject({ uri: `${reg.registryUri}/${SEEDED}`, arn: expect.stringContaining(`:repository/${SEEDED}`) });
    const described = await direct.send(new DescribeRepositoriesCommand({ repositoryNames: [SEEDED] }));
    expect(hello!.uri).toBe(described.repositories![0]!.repositoryUri);
  });

  it('reads the seeded catalog data and images', async () => {
    const { getCatalogData, readPublicImages } = await lib();
    const catalog = await getCatalogData(SEEDED);
    expect(catalog.description).not.toBe('');
    expect(catalog.aboutText).not.toBe('');
    expect(catalog.architectures).toEqual(expect.arrayContaining(['x86-64', 'ARM 64']));
    expect(catalog.operatingSystems).toEqual(['Linux']);
    const images = (await readPublicImages(SEEDED)).value;
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ tags: ['1.0.0', 'latest'], digest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/) });
    expect(images[0]!.sizeBytes).toBeGreaterThan(0);
    expect(images[0]!.pushedAt).not.toBeNull();
  });

  it('says null for a repository or policy that is not there', async () => {
    const { getPublicRepository, getPublicRepositoryPolicy } = await lib();
    expect(await getPublicRepository('no/such-repo')).toBeNull();
    expect(await getPublicRepositoryPolicy(SEEDED)).toBeNull();
  });
});

describe('writing', () => {
  it('creates a repository with catalog data, shows it in the list, edits and clears it', async () => {
    const { createPublicRepository, readPublicRepositories, getCatalogData, updateCatalogData } = await lib();
    const catalog = { description: 'A tool', aboutText: '# Tool\n\n<script>alert(1)</script>', usageText: 'docker run it', architectures: ['x86-64'], operatingSystems: ['Linux'] };
    const made = await createPublicRepository({ name: NEW, ...catalog });
    expect(made.name).toBe(NEW);
    // The write forgot the shared list, so the next read has it.
    expect((await readPublicRepositories()).value.map((r) => r.name)).toContain(NEW);
    expect(await getCatalogData(NEW)).toMatchObject(catalog);

    await updateCatalogData(NEW, { description: '', aboutText: 'Now about', usageText: '', architectures: ['ARM 64', 'RISC-V'], operatingSystems: [] });
    // React's cache() is per request; outside one, each call reads again.
    expect(await getCatalogData(NEW)).toMatchObject({ description: '', aboutText: 'Now about', usageText: '', architectures: ['ARM 64', 'RISC-V'], operatingSystems: [] });
  });

  it('reads the repository policy when there is one', async () => {
    const { getPublicRepositoryPolicy } = await lib();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'push', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: ['ecr-public:PutImage'] }] });
    await direct.send(new SetRepositoryPolicyCommand({ repositoryName: NEW, policyText: policy }));
    expect(JSON.parse((await getPublicRepositoryPolicy(NEW))!)).toEqual(JSON.parse(policy));
  });

  it('refuses to delete a repository with images unless forced, in words', async () => {
    const { deletePublicRepository, describeAwsError, readPublicRepositories, readPublicImages } = await lib();
    await pushPublicImage(direct, NEW, makeImage([512]), 'v1');
    expect((await readPublicImages(NEW)).value.map((i) => i.tags)).toEqual([['v1']]);
    const refused = await deletePublicRepository(NEW, false).catch((e: unknown) => e);
    const p = describeAwsError(refused, { service: 'ECR_PUBLIC' });
    expect(p.code).toBe('RepositoryNotEmptyException');
    expect(p.message).toMatch(/also delete its images/);

    await deletePublicRepository(NEW, true);
    expect((await readPublicRepositories()).value.map((r) => r.name)).not.toContain(NEW);
  });

  it('says which name is taken', async () => {
    const { createPublicRepository, describeAwsError } = await lib();
    const e = await createPublicRepository({ name: SEEDED, description: '', aboutText: '', usageText: '', architectures: [], operatingSystems: [] }).catch((x: unknown) => x);
    expect(describeAwsError(e, { service: 'ECR_PUBLIC' })).toMatchObject({ code: 'RepositoryAlreadyExistsException', title: 'Name taken' });
  });
});

describe('refusals', () => {
  it('says ECR Public is only in us-east-1 when a call reaches it for another region', async () => {
    const { describeAwsError } = await lib();
    const elsewhere = new ECRPUBLICClient({ endpoint: emu.url, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const e = await elsewhere.send(new DescribeRepositoriesCommand({})).catch((x: unknown) => x);
    const p = describeAwsError(e, { service: 'ECR_PUBLIC' });
    expect(p.code).toBe('UnsupportedCommandException');
    expect(p.title).toBe('ECR Public is only in us-east-1');
  });

  it('names the missing ecr-public: permission for a read-only identity', async () => {
    const { describeAwsError } = await lib();
    const { CreateRepositoryCommand } = await import('@aws-sdk/client-ecr-public');
    const readonly = new ECRPUBLICClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'readonly', secretAccessKey: 'readonly' } });
    const e = await readonly.send(new CreateRepositoryCommand({ repositoryName: 'denied/repo' })).catch((x: unknown) => x);
    const p = describeAwsError(e, { service: 'ECR_PUBLIC' });
    expect(p.missingAction).toBe('ecr-public:CreateRepository');
  });
});
