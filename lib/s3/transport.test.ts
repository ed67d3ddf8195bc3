import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plainHttpS3Endpoint } from './transport';

const KEYS = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3'] as const;

describe('plainHttpS3Endpoint', () => {
  let saved: Partial<Record<(typeof KEYS)[number], string>>;
  beforeEach(() => {
    saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
    for (const k of KEYS) delete process.env[k];
  });
  afterEach(() => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('is null for AWS itself, which S3 answers over HTTPS', () => {
    expect(plainHttpS3Endpoint('eu-west-1')).toBeNull();
  });

  it('names a configured http:// endpoint, the S3-specific one first', () => {
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:4566';
    expect(plainHttpS3Endpoint('eu-west-1')).toBe('http://127.0.0.1:4566');
    process.env.AWS_ENDPOINT_URL_S3 = 'HTTP://s3.internal:9000';
    expect(plainHttpS3Endpoint('eu-west-1')).toBe('HTTP://s3.internal:9000');
  });

  it('is null for a configured https:// endpoint', () => {
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:4566';
    process.env.AWS_ENDPOINT_URL_S3 = 'https://s3.internal';
    expect(plainHttpS3Endpoint('eu-west-1')).toBeNull();
  });
});
