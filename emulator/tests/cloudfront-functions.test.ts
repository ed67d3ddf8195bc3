import {
  CreateDistributionCommand,
  CreateFunctionCommand,
  DeleteDistributionCommand,
  DeleteFunctionCommand,
  DescribeFunctionCommand,
  GetDistributionConfigCommand,
  GetFunctionCommand,
  ListFunctionsCommand,
  ListTagsForResourceCommand,
  PublishFunctionCommand,
  TestFunctionCommand,
  UpdateDistributionCommand,
  UpdateFunctionCommand,
  type CloudFrontClient,
} from '@aws-sdk/client-cloudfront';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Config } from '../test-support/cloudfront';
import { cloudfrontClient, failure } from '../test-support/clients';
import { setClock } from '../test-support/ecr';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

// CloudFront Functions through the unmodified SDK: stages, ETags, TestFunction.

let emu: SpawnedEmulator;
let cf: CloudFrontClient;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet', '--deploy-delay-ms', '60000'] });
  cf = cloudfrontClient(emu.url);
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

const REDIRECT = `function handler(event) {
  console.log('redirecting ' + event.request.uri);
  return {
    statusCode: 302,
    statusDescription: 'Found',
    headers: { location: { value: 'https://example.com' + event.request.uri } },
  };
}`;

const ADD_INDEX = `async function handler(event) {
  const request = event.request;
  if (request.uri.endsWith('/')) request.uri += 'index.html';
  return request;
}`;

const viewerRequest = (uri: string) =>
  bytes(JSON.stringify({ version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip: '198.51.100.11' }, request: { method: 'GET', uri, headers: {}, querystring: {}, cookies: {} } }));

const name = () => `fn-${randomUUID().slice(0, 8)}`;

describe('CloudFront Functions', () => {
  it('creates in DEVELOPMENT, updates with If-Match, publishes to LIVE, and keeps each stage its own code and ETag', async () => {
    const fn = name();
    const created = await cf.send(
      new CreateFunctionCommand({ Name: fn, FunctionConfig: { Comment: 'redirect', Runtime: 'cloudfront-js-1.0' }, FunctionCode: bytes(REDIRECT), Tags: { Items: [{ Key: 'team', Value: 'web' }] } }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/function/${fn}`);
    expect(created.ETag).toBeTruthy();
    expect(created.FunctionSummary).toMatchObject({
      Name: fn,
      Status: 'UNPUBLISHED',
      FunctionConfig: { Comment: 'redirect', Runtime: 'cloudfront-js-1.0' },
      FunctionMetadata: { FunctionARN: `arn:aws:cloudfront::123456789012:function/${fn}`, Stage: 'DEVELOPMENT' },
    });
    expect(created.FunctionSummary?.FunctionMetadata?.CreatedTime).toBeInstanceOf(Date);
    const arn = created.FunctionSummary!.FunctionMetadata!.FunctionARN!;
    expect((await cf.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items).toEqual([{ Key: 'team', Value: 'web' }]);

    const dup = await failure(cf.send(new CreateFunctionCommand({ Name: fn, FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-1.0' }, FunctionCode: bytes(REDIRECT) })));
    expect(dup.name).toBe('FunctionAlreadyExists');
    expect(dup.$metadata?.httpStatusCode).toBe(409);

    const dev = await cf.send(new DescribeFunctionCommand({ Name: fn, Stage: 'DEVELOPMENT' }));
    expect(dev.ETag).toBe(created.ETag);
    const code = await cf.send(new GetFunctionCommand({ Name: fn, Stage: 'DEVELOPMENT' }));
    expect(text(code.FunctionCode)).toBe(REDIRECT);
    expect(code.ETag).toBe(created.ETag);
    expect((await failure(cf.send(new DescribeFunctionCommand({ Name: fn, Stage: 'LIVE' })))).name).toBe('NoSuchFunctionExists');
    expect((await failure(cf.send(new GetFunctionCommand({ Name: 'no-such-function' })))).name).toBe('NoSuchFunctionExists');

    const noMatch = await failure(cf.send(new UpdateFunctionCommand({ Name: fn, IfMatch: 'E0000000000000', FunctionConfig: { Comment: 'x', Runtime: 'cloudfront-js-2.0' }, FunctionCode: bytes(ADD_INDEX) })));
    expect(noMatch.name).toBe('PreconditionFailed');
    const missingMatch = await failure(cf.send(new PublishFunctionCommand({ Name: fn, IfMatch: '' })));
    expect(missingMatch.name).toBe('InvalidIfMatchVersion');
    // No If-Match header at all, where the model requires one: the same refusal, not MalformedInput.
    const noHeader = await failure(cf.send(new DeleteFunctionCommand({ Name: fn, IfMatch: undefined as unknown as string })));
    expect(noHeader.name).toBe('InvalidIfMatchVersion');

    const published = await cf.send(new PublishFunctionCommand({ Name: fn, IfMatch: created.ETag }));
    expect(published.FunctionSummary).toMatchObject({ Status: 'UNASSOCIATED', FunctionMetadata: { Stage: 'LIVE' } });
    const live = await cf.send(new DescribeFunctionCommand({ Name: fn, Stage: 'LIVE' }));
    expect(live.ETag).not.toBe(created.ETag);

    const updated = await cf.send(
      new UpdateFunctionCommand({ Name: fn, IfMatch: created.ETag, FunctionConfig: { Comment: 'index', Runtime: 'cloudfront-js-2.0' }, FunctionCode: bytes(ADD_INDEX) }),
    );
    expect(updated.ETag).not.toBe(created.ETag);
    expect(updated.FunctionSummary).toMatchObject({ Status: 'UNPUBLISHED', FunctionConfig: { Comment: 'index', Runtime: 'cloudfront-js-2.0' } });
    // LIVE still has the published code until the next publish.
    expect(text((await cf.send(new GetFunctionCommand({ Name: fn, Stage: 'LIVE' }))).FunctionCode)).toBe(REDIRECT);
    expect(text((await cf.send(new GetFunctionCommand({ Name: fn, Stage: 'DEVELOPMENT' }))).FunctionCode)).toBe(ADD_INDEX);

    const both = await cf.send(new ListFunctionsCommand({}));
    const mine = (both.FunctionList?.Items ?? []).filter((f) => f.Name === fn).map((f) => f.FunctionMetadata?.Stage);
    expect(mine.sort()).toEqual(['DEVELOPMENT', 'LIVE']);
    const liveOnly = await cf.send(new ListFunctionsCommand({ Stage: 'LIVE' }));
    expect((liveOnly.FunctionList?.Items ?? []).every((f) => f.FunctionMetadata?.Stage === 'LIVE')).toBe(true);
    expect(liveOnly.FunctionList?.Quantity).toBe(liveOnly.FunctionList?.Items?.length);
    // One at a time, NextMarker walks every stage of every function once.
    const walked: string[] = [];
    let marker: string | undefined;
    do {
      const page = await cf.send(new ListFunctionsCommand({ MaxItems: 1, Marker: marker }));
      walked.push(...(page.FunctionList?.Items ?? []).map((f) => `${f.Name}/${f.FunctionMetadata?.Stage}`));
      marker = page.FunctionList?.NextMarker;
    } while (marker);
    expect(walked).toEqual((both.FunctionList?.Items ?? []).map((f) => `${f.Name}/${f.FunctionMetadata?.Stage}`));

    const badCode = await failure(cf.send(new CreateFunctionCommand({ Name: name(), FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-1.0' }, FunctionCode: bytes('function handler(event {') })));
    expect(badCode.name).toBe('InvalidArgument');
    const tooBig = await failure(
      cf.send(new CreateFunctionCommand({ Name: name(), FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-1.0' }, FunctionCode: bytes(`// ${'x'.repeat(11 * 1024)}\nfunction handler(e) { return e.request; }`) })),
    );
    expect(tooBig.name).toBe('FunctionSizeLimitExceeded');
    // From the model's constraints: a name outside FunctionName's pattern, a runtime outside the enum, a tag key outside TagKey.
    const badName = await failure(cf.send(new CreateFunctionCommand({ Name: 'no spaces!', FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-1.0' }, FunctionCode: bytes(REDIRECT) })));
    expect(badName.name).toBe('InvalidArgument');
    expect(badName.message).toContain("at 'name'");
    const badRuntime = await failure(
      cf.send(new CreateFunctionCommand({ Name: name(), FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-9.0' as 'cloudfront-js-2.0' }, FunctionCode: bytes(REDIRECT) })),
    );
    expect(badRuntime.name).toBe('MalformedInput');
    const badTag = await failure(
      cf.send(new CreateFunctionCommand({ Name: name(), FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-1.0' }, FunctionCode: bytes(REDIRECT), Tags: { Items: [{ Key: 'a*b', Value: 'v' }] } })),
    );
    expect(badTag.name).toBe('InvalidTagging');
  });

  it('TestFunction runs the stage the caller names on the event object and reports output, logs, errors and utilization', async () => {
    const fn = name();
    const created = await cf.send(new CreateFunctionCommand({ Name: fn, FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-1.0' }, FunctionCode: bytes(REDIRECT) }));
    const redirect = await cf.send(new TestFunctionCommand({ Name: fn, IfMatch: created.ETag, Stage: 'DEVELOPMENT', EventObject: viewerRequest('/docs') }));
    const result = redirect.TestResult!;
    expect(result.FunctionErrorMessage).toBe('');
    expect(result.FunctionExecutionLogs).toEqual(['redirecting /docs']);
    expect(JSON.parse(result.FunctionOutput!)).toEqual({
      response: { statusCode: 302, statusDescription: 'Found', headers: { location: { value: 'https://example.com/docs' } } },
    });
    expect(Number(result.ComputeUtilization)).toBeGreaterThanOrEqual(0);
    expect(Number(result.ComputeUtilization)).toBeLessThanOrEqual(100);
    expect(result.FunctionSummary?.Name).toBe(fn);

    // An async (cloudfront-js-2.0) handler that returns the request.
    const v2 = await cf.send(new UpdateFunctionCommand({ Name: fn, IfMatch: created.ETag, FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-2.0' }, FunctionCode: bytes(ADD_INDEX) }));
    const index = await cf.send(new TestFunctionCommand({ Name: fn, IfMatch: v2.ETag, EventObject: viewerRequest('/guide/') }));
    expect(JSON.parse(index.TestResult!.FunctionOutput!).request.uri).toBe('/guide/index.html');

    // The ETag must be that of the stage under test.
    expect((await failure(cf.send(new TestFunctionCommand({ Name: fn, IfMatch: created.ETag, EventObject: viewerRequest('/') })))).name).toBe('PreconditionFailed');
    expect((await failure(cf.send(new TestFunctionCommand({ Name: fn, IfMatch: v2.ETag, EventObject: bytes('not json') })))).name).toBe('InvalidArgument');

    // A function that throws, one that loops, and one that reaches for what the runtime does not have.
    const cases: [string, string][] = [
      ['function handler(event) { throw new Error("boom"); }', 'boom'],
      ['function handler(event) { while (true) {} }', 'maximum allowed compute time'],
      ['function handler(event) { return require("fs").readFileSync("/etc/passwd", "utf8"); }', 'require is not defined'],
      ['var notAHandler = 1;', 'handler'],
      // Nothing in the runtime leads back to the emulator's process.
      ['function handler(event) { return console.log.constructor("return process")().pid; }', 'Code generation from strings disallowed'],
      ['function handler(event) { return this.constructor.constructor("return process")().pid; }', 'Code generation from strings disallowed'],
    ];
    let etag = v2.ETag;
    for (const [code, message] of cases) {
      const up = await cf.send(new UpdateFunctionCommand({ Name: fn, IfMatch: etag, FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-1.0' }, FunctionCode: bytes(code) }));
      etag = up.ETag;
      const out = await cf.send(new TestFunctionCommand({ Name: fn, IfMatch: etag, EventObject: viewerRequest('/') }));
      expect(out.TestResult?.FunctionErrorMessage, code).toContain(message);
      expect(out.TestResult?.FunctionOutput, code).toBe('');
    }
  });

  it('a LIVE function associated with a distribution is in use until the association goes', async () => {
    const fn = name();
    const created = await cf.send(new CreateFunctionCommand({ Name: fn, FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-2.0' }, FunctionCode: bytes(ADD_INDEX) }));
    const arn = created.FunctionSummary!.FunctionMetadata!.FunctionARN!;
    const config = s3Config('fn-bucket');
    config.DefaultCacheBehavior!.FunctionAssociations = { Quantity: 1, Items: [{ FunctionARN: arn, EventType: 'viewer-request' }] };

    // Only a published function can be associated.
    expect((await failure(cf.send(new CreateDistributionCommand({ DistributionConfig: config })))).name).toBe('NoSuchFunctionExists');
    await cf.send(new PublishFunctionCommand({ Name: fn, IfMatch: created.ETag }));
    const wrongEvent = structuredClone(config);
    wrongEvent.DefaultCacheBehavior!.FunctionAssociations!.Items![0]!.EventType = 'origin-request';
    expect((await failure(cf.send(new CreateDistributionCommand({ DistributionConfig: wrongEvent })))).name).toBe('InvalidFunctionAssociation');

    const d = await cf.send(new CreateDistributionCommand({ DistributionConfig: config }));
    const id = d.Distribution!.Id!;
    expect((await cf.send(new DescribeFunctionCommand({ Name: fn, Stage: 'LIVE' }))).FunctionSummary?.Status).toBe('DEPLOYED');
    const inUse = await failure(cf.send(new DeleteFunctionCommand({ Name: fn, IfMatch: created.ETag })));
    expect(inUse.name).toBe('FunctionInUse');
    expect(inUse.$metadata?.httpStatusCode).toBe(409);

    const current = await cf.send(new GetDistributionConfigCommand({ Id: id }));
    const freed = current.DistributionConfig!;
    freed.DefaultCacheBehavior!.FunctionAssociations = { Quantity: 0 };
    freed.Enabled = false;
    const off = await cf.send(new UpdateDistributionCommand({ Id: id, IfMatch: current.ETag, DistributionConfig: freed }));
    expect((await cf.send(new DescribeFunctionCommand({ Name: fn, Stage: 'LIVE' }))).FunctionSummary?.Status).toBe('UNASSOCIATED');

    expect((await failure(cf.send(new DeleteFunctionCommand({ Name: fn, IfMatch: 'E0000000000000' })))).name).toBe('PreconditionFailed');
    const deleted = await cf.send(new DeleteFunctionCommand({ Name: fn, IfMatch: created.ETag }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect((await failure(cf.send(new DescribeFunctionCommand({ Name: fn })))).name).toBe('NoSuchFunctionExists');

    await setClock(emu.url, 120_000);
    await cf.send(new DeleteDistributionCommand({ Id: id, IfMatch: off.ETag }));
  });

  it('refuses writes to the readonly key, naming the IAM action and the function', async () => {
    const ro = cloudfrontClient(emu.url, { key: 'readonly' });
    const fn = name();
    const denied = await failure(ro.send(new CreateFunctionCommand({ Name: fn, FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-1.0' }, FunctionCode: bytes(REDIRECT) })));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toContain(`cloudfront:CreateFunction on resource: arn:aws:cloudfront::123456789012:function/${fn}`);
    expect((await ro.send(new ListFunctionsCommand({}))).$metadata.httpStatusCode).toBe(200);
  });
});
