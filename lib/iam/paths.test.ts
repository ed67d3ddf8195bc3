import { describe, expect, it } from 'vitest';
import { accessPaths, nameFromSegment, sameName } from './paths';

describe('Access paths', () => {
  it('IAM names stand in the path as they are, and come back the same', () => {
    for (const name of ['alice', 'ci+deploy=prod,eu@acme.example', 'svc_build-01.x']) {
      const path = accessPaths.user(name);
      expect(path).toBe(`/access/users/${name}`);
      // Next.js may hand the segment over encoded or not: either way the name comes back.
      const segment = path.split('/').at(-1)!;
      expect(nameFromSegment(segment)).toBe(name);
      expect(nameFromSegment(encodeURIComponent(segment))).toBe(name);
    }
  });

  it("a policy ARN's slashes become segments and its colons stay", () => {
    expect(accessPaths.policy('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')).toBe(
      '/access/policies/arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    );
  });

  it('anything else is encoded, and a broken escape is left alone', () => {
    expect(accessPaths.role('odd name?#')).toBe('/access/roles/odd%20name%3F%23');
    expect(nameFromSegment('odd%20name%3F%23')).toBe('odd name?#');
    expect(nameFromSegment('100%')).toBe('100%');
  });

  it('IAM names match whatever their case', () => {
    expect(sameName('Deployers', 'deployers')).toBe(true);
    expect(sameName('deployers', 'deployer')).toBe(false);
  });
});
