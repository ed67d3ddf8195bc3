import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsCliPath } from '../test-support/aws-cli';
import { awsCliSuite } from '../test-support/aws-cli-suite';
import { rawRequest } from '../test-support/raw-http';

// Amazon ECR Public through Debian's AWS CLI (`aws ecr-public ...`), which parses
// every answer against botocore's model of the service.

const cli = awsCliSuite({ args: ['--no-seed', '--quiet'], scratch: 'berth-cli-' });
const { aws, run } = cli;

describe(`AWS CLI for ECR Public (${awsCliPath()})`, () => {
  it('create-repository gives the registry its default alias; describe-registries names it, and the URIs use it', async () => {
    // As on AWS, the registry (and its alias) comes with the first public repository.
    expect(await aws(['ecr-public', 'describe-registries'])).toEqual({ registries: [] });

    const created = await aws([
      'ecr-public',
      'create-repository',
      '--repository-name',
      'cli/app',
      '--catalog-data',
      'description=From the CLI,architectures=x86-64,operatingSystems=Linux',
      '--tags',
      'Key=team,Value=cli',
    ]);
    const out = await aws(['ecr-public', 'describe-registries']);
    const reg = (out.registries as Record<string, unknown>[])[0]!;
    const alias = (reg.aliases as Record<string, unknown>[])[0]!;
    expect(alias).toMatchObject({ status: 'ACTIVE', primaryRegistryAlias: true, defaultRegistryAlias: true });
    expect(alias.name).toMatch(/^[a-z][a-z0-9]{7}$/);
    expect(reg).toMatchObject({ registryId: '123456789012', verified: false, registryUri: `localhost:${cli.emu.port}/${String(alias.name)}` });
    const repo = created.repository as Record<string, unknown>;
    expect(repo).toMatchObject({
      repositoryName: 'cli/app',
      repositoryArn: 'arn:aws:ecr-public::123456789012:repository/cli/app',
      repositoryUri: `localhost:${cli.emu.port}/${String(alias.name)}/cli/app`,
    });
    expect(created.catalogData).toMatchObject({ description: 'From the CLI', architectures: ['x86-64'], operatingSystems: ['Linux'] });

    const described = await aws(['ecr-public', 'describe-repositories']);
    expect((described.repositories as Record<string, unknown>[]).map((r) => r.repositoryName)).toEqual(['cli/app']);
    const dup = await run(['ecr-public', 'create-repository', '--repository-name', 'cli/app']);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toContain('RepositoryAlreadyExistsException');
  });

  it('put-repository-catalog-data with about and usage text from files, and a logo', async () => {
    await aws(['ecr-public', 'create-repository', '--repository-name', 'cli/docs']);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    fs.writeFileSync(path.join(cli.dir, 'logo.png'), png);
    const input = {
      description: 'Documented',
      aboutText: '# About\n\nLong text.',
      usageText: 'docker pull it',
      architectures: ['ARM 64'],
      operatingSystems: ['Linux'],
      logoImageBlob: png.toString('base64'),
    };
    fs.writeFileSync(path.join(cli.dir, 'catalog.json'), JSON.stringify(input));
    const put = await aws(['ecr-public', 'put-repository-catalog-data', '--repository-name', 'cli/docs', '--catalog-data', `file://${path.join(cli.dir, 'catalog.json')}`]);
    const cd = put.catalogData as Record<string, unknown>;
    expect(cd).toMatchObject({ description: 'Documented', aboutText: '# About\n\nLong text.', usageText: 'docker pull it', architectures: ['ARM 64'] });
    const logo = await rawRequest(cli.emu.url, { path: new URL(String(cd.logoUrl)).pathname });
    expect(logo.status).toBe(200);
    expect(logo.headers['content-type']).toBe('image/png');
    const got = await aws(['ecr-public', 'get-repository-catalog-data', '--repository-name', 'cli/docs']);
    expect(got.catalogData).toEqual(cd);
  });

  it('registry catalog data round-trips the display name', async () => {
    expect(await aws(['ecr-public', 'put-registry-catalog-data', '--display-name', 'CLI team'])).toEqual({ registryCatalogData: { displayName: 'CLI team' } });
    expect(await aws(['ecr-public', 'get-registry-catalog-data'])).toEqual({ registryCatalogData: { displayName: 'CLI team' } });
  });

  it('get-login-password --region us-east-1 prints a password the token endpoint accepts; other regions are refused', async () => {
    const pw = await run(['ecr-public', 'get-login-password', '--region', 'us-east-1']);
    expect(pw.code, pw.stderr).toBe(0);
    const password = pw.stdout.trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const basic = `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}`;
    const token = await rawRequest(cli.emu.url, { path: '/_ecr-public/token?service=x&scope=repository:a/b:pull,push', headers: { Authorization: basic } });
    expect(token.status, token.body).toBe(200);
    expect(JSON.parse(token.body).token).toMatch(/\S+/);
    const forged = await rawRequest(cli.emu.url, { path: '/_ecr-public/token', headers: { Authorization: `Basic ${Buffer.from(`AWS:${password}x`).toString('base64')}` } });
    expect(forged.status).toBe(401);

    const elsewhere = await run(['ecr-public', 'get-login-password'], { region: 'us-west-2' });
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr).toContain(
      'An error occurred (UnsupportedCommandException) when calling the GetAuthorizationToken operation: GetAuthorizationToken command is only supported in us-east-1.',
    );
  });

  it('the readonly key reads but may not create', async () => {
    const ro = await run(['ecr-public', 'create-repository', '--repository-name', 'cli/ro'], { key: 'readonly' });
    expect(ro.code).not.toBe(0);
    expect(ro.stderr).toContain('AccessDeniedException');
    expect(ro.stderr).toContain('ecr-public:CreateRepository');
    await aws(['ecr-public', 'describe-registries'], { key: 'readonly' });
  });
});
