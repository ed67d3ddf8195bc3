import { describe, expect, it } from 'vitest';
import { pullCommands, pushCommands } from './commands';

describe('push commands', () => {
  it('are the documented workflow for AWS', () => {
    const c = pushCommands({ region: 'eu-west-1', registryHost: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repository: 'team/api' });
    expect(c.map((x) => x.command)).toEqual([
      'aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      'docker build -t team/api .',
      'docker tag team/api:latest 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:latest',
      'docker push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:latest',
      'docker pull 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:latest',
    ]);
  });
  it('carry the endpoint when Berth talks to the emulator', () => {
    const c = pushCommands({ region: 'us-east-1', registryHost: '127.0.0.1:4566', repository: 'web', endpoint: 'http://127.0.0.1:4566' });
    expect(c[0]!.command).toBe(
      'aws --endpoint-url http://127.0.0.1:4566 ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin 127.0.0.1:4566',
    );
  });
  it('pull by every tag and by digest', () => {
    const d = `sha256:${'b'.repeat(64)}`;
    expect(pullCommands({ registryHost: 'r', repository: 'web', tags: ['v1', 'latest'], digest: d }).map((x) => x.command)).toEqual([
      'docker pull r/web:v1',
      'docker pull r/web:latest',
      `docker pull r/web@${d}`,
    ]);
  });
});
