import { execFileSync } from 'node:child_process';
import { ECRClient } from '@aws-sdk/client-ecr';

// Direct access to the e2e emulator, to check what a console action did (or
// did not do) without going through the console.
export const EMULATOR_URL = `http://127.0.0.1:${process.env.E2E_EMULATOR_PORT ?? 45661}`;

export const ecr = new ECRClient({
  endpoint: EMULATOR_URL,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

/** Runs the left side of a copied `aws … | docker login` command with Debian's AWS CLI. */
export function runAwsPart(command: string): string {
  const awsPart = command.split('|')[0]!.trim().split(/\s+/);
  if (awsPart[0] !== 'aws') throw new Error(`not an aws command: ${command}`);
  return execFileSync('/usr/bin/aws', awsPart.slice(1), {
    env: { PATH: process.env.PATH ?? '', HOME: '/tmp', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', NODE_ENV: 'test' },
    encoding: 'utf8',
  }).trim();
}

export function skopeo(args: string[]): string {
  return execFileSync('/usr/bin/skopeo', args, {
    env: { PATH: process.env.PATH ?? '', HOME: '/tmp', XDG_RUNTIME_DIR: '/tmp', REGISTRY_AUTH_FILE: '/tmp/berth-e2e-skopeo-auth.json', NODE_ENV: 'test' },
    encoding: 'utf8',
  });
}

import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { S3Client } from '@aws-sdk/client-s3';
import { WAFV2Client } from '@aws-sdk/client-wafv2';

export const s3 = new S3Client({
  endpoint: EMULATOR_URL,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

export const cloudfront = new CloudFrontClient({
  endpoint: EMULATOR_URL,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

export const waf = new WAFV2Client({
  endpoint: EMULATOR_URL,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

import { IAMClient } from '@aws-sdk/client-iam';

export const iam = new IAMClient({
  endpoint: EMULATOR_URL,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

/** Moves the emulator's clock (PUT /_emulator/clock), e.g. to make something "100 days ago"; 0 puts it back. */
export async function setEmulatorClock(offsetMs: number): Promise<void> {
  const res = await fetch(`${EMULATOR_URL}/_emulator/clock`, { method: 'PUT', body: JSON.stringify({ offsetMs }) });
  if (!res.ok) throw new Error(`setting the emulator clock failed: ${res.status} ${await res.text()}`);
}
