import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsCliPath } from '../test-support/aws-cli';
import { awsCliSuite } from '../test-support/aws-cli-suite';

// The documented S3 commands, run with Debian's awscli against the emulator.
// A missing CLI fails these tests.

const cli = awsCliSuite({ args: ['--quiet'], scratch: 'berth-s3cli-' });
// The CLI's exit status is what these tests check; most outputs are text, not JSON.
const { ok: aws, run } = cli;

describe(`S3 with the AWS CLI (${awsCliPath()})`, () => {
  it('versioning, cp up and down (multipart over 8 MiB), ls, list-object-versions', async () => {
    await aws(['s3', 'mb', 's3://cli-data']);
    await aws(['s3api', 'put-bucket-versioning', '--bucket', 'cli-data', '--versioning-configuration', 'Status=Enabled']);
    const status = await aws(['s3api', 'get-bucket-versioning', '--bucket', 'cli-data']);
    expect(JSON.parse(status.stdout)).toEqual({ Status: 'Enabled' });

    const big = path.join(cli.dir, 'big.bin');
    const bigBytes = randomBytes(9 * 1024 * 1024);
    fs.writeFileSync(big, bigBytes);
    const small = path.join(cli.dir, 'note.txt');
    fs.writeFileSync(small, 'first\n');
    await aws(['s3', 'cp', big, 's3://cli-data/blobs/big.bin']);
    await aws(['s3', 'cp', small, 's3://cli-data/notes/a/note.txt']);
    fs.writeFileSync(small, 'second\n');
    await aws(['s3', 'cp', small, 's3://cli-data/notes/a/note.txt']);

    const head = await aws(['s3api', 'head-object', '--bucket', 'cli-data', '--key', 'blobs/big.bin']);
    expect((JSON.parse(head.stdout) as { ETag: string }).ETag).toMatch(/-2"$/);

    const down = path.join(cli.dir, 'down.bin');
    await aws(['s3', 'cp', 's3://cli-data/blobs/big.bin', down]);
    expect(fs.readFileSync(down).equals(bigBytes)).toBe(true);

    const ls = await aws(['s3', 'ls']);
    expect(ls.stdout).toMatch(/ cli-data$/m);
    const top = await aws(['s3', 'ls', 's3://cli-data/']);
    expect(top.stdout).toMatch(/PRE blobs\//);
    expect(top.stdout).toMatch(/PRE notes\//);
    const rec = await aws(['s3', 'ls', 's3://cli-data/notes/', '--recursive']);
    expect(rec.stdout.trim().split('\n')).toHaveLength(1);
    expect(rec.stdout).toMatch(/\s7 notes\/a\/note\.txt$/m);

    const versions = await aws(['s3api', 'list-object-versions', '--bucket', 'cli-data', '--prefix', 'notes/']);
    const v = JSON.parse(versions.stdout) as { Versions: { Key: string; IsLatest: boolean }[] };
    expect(v.Versions.map((x) => [x.Key, x.IsLatest])).toEqual([
      ['notes/a/note.txt', true],
      ['notes/a/note.txt', false],
    ]);

    // rb --force removes current objects, not versions: the final DeleteBucket fails.
    const rb = await run(['s3', 'rb', 's3://cli-data', '--force']);
    expect(rb.code).not.toBe(0);
    expect(rb.stderr).toContain('BucketNotEmpty');
  });

  it('website and bucket policy', async () => {
    await aws(['s3', 'mb', 's3://cli-site']);
    const index = path.join(cli.dir, 'index.html');
    fs.writeFileSync(index, '<h1>cli site</h1>');
    await aws(['s3', 'cp', index, 's3://cli-site/index.html']);
    fs.writeFileSync(path.join(cli.dir, 'error.html'), '<h1>oops</h1>');
    await aws(['s3', 'cp', path.join(cli.dir, 'error.html'), 's3://cli-site/error.html']);
    await aws(['s3', 'website', 's3://cli-site', '--index-document', 'index.html', '--error-document', 'error.html']);
    const web = await aws(['s3api', 'get-bucket-website', '--bucket', 'cli-site']);
    expect(JSON.parse(web.stdout)).toEqual({ IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'error.html' } });

    await aws(['s3api', 'delete-public-access-block', '--bucket', 'cli-site']);
    const policyFile = path.join(cli.dir, 'policy.json');
    fs.writeFileSync(
      policyFile,
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::cli-site/*' }],
      }),
    );
    await aws(['s3api', 'put-bucket-policy', '--bucket', 'cli-site', '--policy', `file://${policyFile}`]);
    const status = await aws(['s3api', 'get-bucket-policy-status', '--bucket', 'cli-site']);
    expect(JSON.parse(status.stdout)).toEqual({ PolicyStatus: { IsPublic: true } });

    const res = await fetch(`${cli.emu.url}/_website/cli-site/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<h1>cli site</h1>');
    const missing = await fetch(`${cli.emu.url}/_website/cli-site/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('<h1>oops</h1>');

    const bad = await run(['s3api', 'put-bucket-policy', '--bucket', 'cli-site', '--policy', '{"Version":"2012-10-17"}']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('MalformedPolicy');

    // On an unversioned bucket rb --force empties it and removes it.
    await aws(['s3', 'rb', 's3://cli-site', '--force']);
    const gone = await run(['s3api', 'head-bucket', '--bucket', 'cli-site']);
    expect(gone.code).not.toBe(0);
  });
});
