import { describe, expect, it } from 'vitest';
import { publicPullCommand, publicPushCommands, registryHostOf } from './commands';

describe('public push and pull commands', () => {
  it('are the documented ECR Public workflow on AWS, logging in to the host of the repositoryUri', () => {
    const c = publicPushCommands({ repositoryUri: 'public.ecr.aws/a1b2c3d4/team/tool', repository: 'team/tool', tag: '1.0' });
    expect(c.map((x) => x.command)).toEqual([
      'aws ecr-public get-login-password --region us-east-1 | docker login --username AWS --password-stdin public.ecr.aws',
      'docker build -t team/tool .',
      'docker tag team/tool:1.0 public.ecr.aws/a1b2c3d4/team/tool:1.0',
      'docker push public.ecr.aws/a1b2c3d4/team/tool:1.0',
    ]);
  });

  it('take whatever host ECR Public answered, and carry Berth’s endpoint to the CLI', () => {
    const c = publicPushCommands({ repositoryUri: 'localhost:4566/x9y8z7w6/web', repository: 'web', endpoint: 'http://127.0.0.1:4566' });
    expect(c[0]!.command).toBe(
      'aws --endpoint-url http://127.0.0.1:4566 ecr-public get-login-password --region us-east-1 | docker login --username AWS --password-stdin localhost:4566',
    );
    expect(c.at(-1)!.command).toBe('docker push localhost:4566/x9y8z7w6/web:latest');
  });

  it('pull with no login, by tag', () => {
    expect(publicPullCommand({ repositoryUri: 'public.ecr.aws/a1b2c3d4/web' }).command).toBe('docker pull public.ecr.aws/a1b2c3d4/web:latest');
    expect(publicPullCommand({ repositoryUri: 'public.ecr.aws/a1b2c3d4/web', tag: 'v2' }).command).toBe('docker pull public.ecr.aws/a1b2c3d4/web:v2');
  });

  it('read the registry host from a registry or repository URI', () => {
    expect(registryHostOf('public.ecr.aws/a1b2c3d4')).toBe('public.ecr.aws');
    expect(registryHostOf('localhost:4566/a1b2c3d4/team/web')).toBe('localhost:4566');
  });
});
