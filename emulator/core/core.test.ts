import { describe, expect, it } from 'vitest';
import { bucketFromHost, bucketNameProblem, toPathStyle } from '../services/s3/names';
import { parseAuth } from './credentials';
import { FaultInjector, parseFaultRules } from './faults';

describe('parseAuth', () => {
  it('reads SigV4 headers, presigned URLs and SigV2', () => {
    const h = { authorization: 'AWS4-HMAC-SHA256 Credential=test/20250101/eu-west-1/ecr/aws4_request, SignedHeaders=host, Signature=x' };
    expect(parseAuth(h, new URLSearchParams())).toEqual({
      kind: 'credential',
      credential: { accessKeyId: 'test', region: 'eu-west-1', service: 'ecr' },
      sigv4: { scope: '20250101/eu-west-1/ecr/aws4_request', date: '20250101', region: 'eu-west-1', service: 'ecr', signedHeaders: ['host'], signature: 'x', presigned: false },
    });
    const q = new URLSearchParams({ 'X-Amz-Credential': 'readonly/20250101/us-east-1/s3/aws4_request', 'X-Amz-SignedHeaders': 'host', 'X-Amz-Signature': 'y' });
    expect(parseAuth({}, q)).toMatchObject({ credential: { accessKeyId: 'readonly', service: 's3' }, sigv4: { presigned: true, signature: 'y' } });
    // A presigned URL without its signature is malformed, not anonymous.
    expect(parseAuth({}, new URLSearchParams({ 'X-Amz-Credential': 'readonly/20250101/us-east-1/s3/aws4_request' }))).toEqual({ kind: 'malformed' });
    expect(parseAuth({ authorization: 'AWS test:sig' }, new URLSearchParams())).toMatchObject({ credential: { accessKeyId: 'test' }, sigv2: true });
    expect(parseAuth({}, new URLSearchParams())).toEqual({ kind: 'anonymous' });
    expect(parseAuth({ authorization: 'Basic abc' }, new URLSearchParams())).toEqual({ kind: 'malformed' });
    expect(parseAuth({ authorization: 'AWS4-HMAC-SHA256 Credential=broken' }, new URLSearchParams())).toEqual({ kind: 'malformed' });
  });
});

describe('S3 names and hosts', () => {
  it('applies the bucket naming rules', () => {
    expect(bucketNameProblem('berth-demo-assets')).toBeUndefined();
    expect(bucketNameProblem('a.b.c')).toBeUndefined();
    for (const bad of ['ab', 'Caps', 'a_b', '-ab', 'ab-', 'a..b', '10.0.0.1', 'sthree-x', 'x-s3alias', 'amzn-s3-demo-x'])
      expect(bucketNameProblem(bad), bad).toBeDefined();
  });

  it('finds the bucket in virtual-hosted Host headers', () => {
    expect(bucketFromHost('assets.localhost:4566')).toBe('assets');
    expect(bucketFromHost('assets.s3.localhost:4566')).toBe('assets');
    expect(bucketFromHost('my.dotted.bucket.s3.us-west-2.amazonaws.com')).toBe('my.dotted.bucket');
    expect(bucketFromHost('s3.localhost:4566')).toBeUndefined();
    expect(bucketFromHost('localhost:4566')).toBeUndefined();
    expect(bucketFromHost('127.0.0.1:4566')).toBeUndefined();
    expect(toPathStyle('assets.localhost', '/')).toBe('/assets');
    expect(toPathStyle('assets.localhost', '/a/b.txt')).toBe('/assets/a/b.txt');
  });
});

describe('faults', () => {
  it('validates rules', () => {
    expect(parseFaultRules([{ operation: '*', kind: 'delay', rate: 0.5, delayMs: 10 }])).toHaveLength(1);
    expect(() => parseFaultRules({})).toThrow(/array/);
    expect(() => parseFaultRules([{ operation: 'X', kind: 'throttle', rate: 2 }])).toThrow(/rate/);
    expect(() => parseFaultRules([{ kind: 'throttle', rate: 1 }])).toThrow(/operation/);
  });

  it('fires by rate and scope', async () => {
    const f = new FaultInjector([{ service: 'ecr', operation: 'A', kind: 'throttle', rate: 0.5 }], () => 0.4);
    expect(await f.apply('ecr', 'A')).toEqual({ kind: 'throttle' });
    expect(await f.apply('ecr', 'B')).toBeUndefined();
    expect(await f.apply('s3', 'A')).toBeUndefined();
    const never = new FaultInjector([{ operation: '*', kind: 'error', rate: 0.5 }], () => 0.6);
    expect(await never.apply('ecr', 'A')).toBeUndefined();
  });
});
