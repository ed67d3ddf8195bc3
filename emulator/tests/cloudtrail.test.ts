import {
  CloudTrailClient,
  CreateEventDataStoreCommand,
  CreateTrailCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  type Event,
  type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { CreateDistributionCommand, GetDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { CreateRepositoryCommand as CreatePublicRepositoryCommand } from '@aws-sdk/client-ecr-public';
import { AttachRolePolicyCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, PutBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Config } from '../test-support/cloudfront';
import { cloudfrontClient, ecrClient, ecrPublicClient, failure, iamClient, s3Client, stsClient } from '../test-support/clients';
import { basicAuth, digestOf, loginPassword, makeImage, OCI_MANIFEST, setClock } from '../test-support/ecr';
import { publicAlias, publicLoginPassword } from '../test-support/ecr-public';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

// CloudTrail over the unmodified SDK: the events the emulator records for
// the calls it serves (API and registry), LookupEvents' attributes, paging
// and errors, and trails deciding which S3 data events are kept.

const ACCOUNT = '123456789012';
let emu: SpawnedEmulator;

const trail = (key = 'test') =>
  new CloudTrailClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: key, secretAccessKey: key }, maxAttempts: 1 });

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet', '--no-seed'] });
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

type Json = { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

async function lookup(input: LookupEventsCommandInput): Promise<Event[]> {
  const out = await trail().send(new LookupEventsCommand(input));
  return out.Events ?? [];
}

const byResource = (name: string, extra: LookupEventsCommandInput = {}) =>
  lookup({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: name }], ...extra });

const recordOf = (e: Event | undefined): Json => JSON.parse(e?.CloudTrailEvent ?? 'null') as Json;

describe('events for API calls', () => {
  it('records a call as CloudTrail writes it, found by its resource name', async () => {
    await ecrClient(emu.url).send(new CreateRepositoryCommand({ repositoryName: 'trail/api' }));
    const events = await byResource('trail/api');
    expect(events.map((e) => e.EventName)).toEqual(['CreateRepository']);
    const e = events[0]!;
    expect(e).toMatchObject({
      EventName: 'CreateRepository',
      EventSource: 'ecr.amazonaws.com',
      ReadOnly: 'false',
      Username: 'test',
      AccessKeyId: 'test',
      Resources: [{ ResourceType: 'AWS::ECR::Repository', ResourceName: 'trail/api' }],
    });
    expect(Math.abs(e.EventTime!.getTime() - Date.now())).toBeLessThan(60_000);
    const r = recordOf(e);
    expect(r).toMatchObject({
      eventVersion: expect.stringMatching(/^1\.\d+$/),
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/test`, accountId: ACCOUNT, accessKeyId: 'test', userName: 'test' },
      eventSource: 'ecr.amazonaws.com',
      eventName: 'CreateRepository',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      requestParameters: { repositoryName: 'trail/api' },
      eventID: e.EventId,
      readOnly: false,
      resources: [{ accountId: ACCOUNT, type: 'AWS::ECR::Repository', ARN: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/trail/api` }],
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Management',
    });
    expect(r.userAgent).toMatch(/aws-sdk-js/);
    expect(r.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(r.requestID).toMatch(/\S/);
    expect(r.errorCode).toBeUndefined();
  });

  it("records a refused call with the error it got and the caller's name", async () => {
    const err = await failure(ecrClient(emu.url, { key: 'readonly' }).send(new CreateRepositoryCommand({ repositoryName: 'trail/denied' })));
    expect(err.name).toBe('AccessDeniedException');
    const events = await byResource('trail/denied');
    expect(events).toHaveLength(1);
    expect(events[0]!.Username).toBe('readonly');
    const r = recordOf(events[0]);
    expect(r.errorCode).toBe('AccessDeniedException');
    expect(r.errorMessage).toBe(err.message);
    expect(r.userIdentity.userName).toBe('readonly');
  });

  it("names an assumed role's session and its SourceIdentity", async () => {
    const iam = iamClient(emu.url);
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'trail-deployer',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/test` }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }],
        }),
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'trail-deployer', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const { Credentials: c } = await stsClient(emu.url).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/trail-deployer`, RoleSessionName: 'berth-alice', SourceIdentity: 'alice@example.com' }),
    );
    const ecr = new ECRClient({
      endpoint: emu.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! },
    });
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'trail/by-role' }));

    const [e] = await byResource('trail/by-role');
    expect(e!.Username).toBe('berth-alice');
    expect(e!.AccessKeyId).toBe(c!.AccessKeyId);
    const id = recordOf(e).userIdentity;
    expect(id).toMatchObject({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/trail-deployer/berth-alice`,
      accountId: ACCOUNT,
      accessKeyId: c!.AccessKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/trail-deployer`, accountId: ACCOUNT, userName: 'trail-deployer' },
        attributes: { mfaAuthenticated: 'false' },
        sourceIdentity: 'alice@example.com',
      },
    });
    expect(id.principalId).toMatch(/^AROA[A-Z0-9]+:berth-alice$/);

    // The same session is found by its name.
    const mine = await lookup({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'berth-alice' }] });
    expect(mine.map((x) => x.EventName)).toEqual(['CreateRepository']);
  });

  it('records registry pushes and pulls as the ECR actions they stand for', async () => {
    const ecr = ecrClient(emu.url);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'trail/registry' }));
    const auth = basicAuth(await loginPassword(ecr));
    const img = makeImage([512]);
    const base = `${emu.url}/v2/trail/registry`;
    for (const blob of [img.config, ...img.layers]) {
      const res = await fetch(`${base}/blobs/uploads/?digest=${digestOf(blob)}`, { method: 'POST', headers: { Authorization: auth }, body: new Uint8Array(blob) });
      expect(res.status).toBe(201);
    }
    const put = await fetch(`${base}/manifests/v1`, {
      method: 'PUT',
      headers: { Authorization: auth, 'Content-Type': OCI_MANIFEST, 'User-Agent': 'docker/27.0 go/go1.22' },
      body: img.manifest,
    });
    expect(put.status).toBe(201);
    const pulled = await fetch(`${base}/manifests/v1`, { headers: { Authorization: auth, Accept: OCI_MANIFEST } });
    expect(pulled.status).toBe(200);
    const layer = await fetch(`${base}/blobs/${digestOf(img.layers[0]!)}`, { headers: { Authorization: auth } });
    expect(layer.status).toBe(200);
    await layer.arrayBuffer();

    const names = (await byResource('trail/registry')).map((e) => e.EventName);
    // Newest first: the pull, then the push, then the create.
    expect(names).toEqual([
      'GetDownloadUrlForLayer',
      'BatchGetImage',
      'PutImage',
      'InitiateLayerUpload',
      'InitiateLayerUpload',
      'CreateRepository',
    ]);
    const [pullLayer, pullManifest, pushManifest] = await byResource('trail/registry', { MaxResults: 3 });
    expect(pullManifest!.ReadOnly).toBe('true');
    expect(recordOf(pullManifest).requestParameters).toEqual({ registryId: ACCOUNT, repositoryName: 'trail/registry', imageIds: [{ imageTag: 'v1' }] });
    expect(recordOf(pullLayer).requestParameters.layerDigest).toBe(digestOf(img.layers[0]!));
    const push = recordOf(pushManifest);
    expect(push).toMatchObject({ eventName: 'PutImage', readOnly: false, userAgent: 'docker/27.0 go/go1.22', requestParameters: { imageTag: 'v1' } });
    expect(push.userIdentity.userName).toBe('test');
  });

  it('names a distribution by its id, the new one by the id its create answered', async () => {
    await s3Client(emu.url).send(new CreateBucketCommand({ Bucket: 'trail-origin' }));
    const cf = cloudfrontClient(emu.url);
    const made = await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('trail-origin') }));
    const id = made.Distribution!.Id!;
    await cf.send(new GetDistributionCommand({ Id: id }));
    const events = await byResource(id);
    expect(events.map((e) => e.EventName)).toEqual(['GetDistribution', 'CreateDistribution']);
    expect(events[1]).toMatchObject({ EventSource: 'cloudfront.amazonaws.com', Resources: [{ ResourceType: 'AWS::CloudFront::Distribution', ResourceName: id }] });
    // CloudFront is global: its events are in us-east-1's history.
    expect(recordOf(events[1]).awsRegion).toBe('us-east-1');
  });

  it('records a denied registry push with its error code', async () => {
    await ecrClient(emu.url).send(new CreateRepositoryCommand({ repositoryName: 'trail/ro-push' }));
    const auth = basicAuth(await loginPassword(ecrClient(emu.url, { key: 'readonly' })));
    const res = await fetch(`${emu.url}/v2/trail/ro-push/blobs/uploads/`, { method: 'POST', headers: { Authorization: auth } });
    expect(res.status).toBe(403);
    const [e] = await byResource('trail/ro-push', { MaxResults: 1 });
    expect(e).toMatchObject({ EventName: 'InitiateLayerUpload', Username: 'readonly' });
    expect(recordOf(e).errorCode).toBe('AccessDeniedException');
    expect(recordOf(e).errorMessage).toMatch(/is not authorized to perform: ecr:InitiateLayerUpload/);
  });
});

describe('ECR Public', () => {
  // ECR Public is global: its API calls and public registry pushes are
  // logged in us-east-1 with eventSource ecr-public.amazonaws.com
  // (https://docs.aws.amazon.com/AmazonECR/latest/public/logging-using-cloudtrail.html).
  it('records its API calls and public registry pushes as ecr-public actions', async () => {
    const pub = ecrPublicClient(emu.url);
    await pub.send(new CreatePublicRepositoryCommand({ repositoryName: 'trail/public' }));
    const alias = await publicAlias(pub);
    const host = `localhost:${emu.port}`;
    const name = `${alias}/trail/public`;
    const token = await rawRequest(emu.url, {
      path: `/_ecr-public/token?service=${host}&scope=repository:${name}:pull,push`,
      headers: { Host: host, Authorization: basicAuth(await publicLoginPassword(pub)) },
    });
    expect(token.status, token.body).toBe(200);
    const auth = `Bearer ${JSON.parse(token.body).token as string}`;
    const img = makeImage([300]);
    for (const blob of [img.config, ...img.layers]) {
      const up = await rawRequest(emu.url, {
        method: 'POST',
        path: `/v2/${name}/blobs/uploads/?digest=${digestOf(blob)}`,
        headers: { Host: host, Authorization: auth, 'Content-Length': String(blob.length) },
        body: blob,
      });
      expect(up.status, up.body).toBe(201);
    }
    const put = await rawRequest(emu.url, {
      method: 'PUT',
      path: `/v2/${name}/manifests/v1`,
      headers: { Host: host, Authorization: auth, 'Content-Type': OCI_MANIFEST, 'User-Agent': 'docker/27.0 go/go1.22' },
      body: img.manifest,
    });
    expect(put.status, put.body).toBe(201);
    // An anonymous pull is no ECR Public action (it has no BatchGetImage): nothing is recorded for it.
    const anonymous = await rawRequest(emu.url, { path: `/_ecr-public/token?service=${host}&scope=repository:${name}:pull`, headers: { Host: host } });
    const pulled = await rawRequest(emu.url, {
      path: `/v2/${name}/manifests/v1`,
      headers: { Host: host, Authorization: `Bearer ${JSON.parse(anonymous.body).token as string}`, Accept: OCI_MANIFEST },
    });
    expect(pulled.status).toBe(200);

    const events = await byResource('trail/public');
    // Newest first: the manifest, the two monolithic uploads (each an initiate, a part and a completion), the create.
    expect(events.map((e) => e.EventName)).toEqual([
      'PutImage',
      ...Array<string[]>(2).fill(['CompleteLayerUpload', 'UploadLayerPart', 'InitiateLayerUpload']).flat(),
      'CreateRepository',
    ]);
    for (const e of events) {
      expect(e).toMatchObject({
        EventSource: 'ecr-public.amazonaws.com',
        Username: 'test',
        Resources: [{ ResourceType: 'AWS::ECR::PublicRepository', ResourceName: 'trail/public' }],
      });
      const r = recordOf(e);
      expect(r).toMatchObject({ eventSource: 'ecr-public.amazonaws.com', awsRegion: 'us-east-1', managementEvent: true, recipientAccountId: ACCOUNT });
      expect(r.resources).toEqual([{ accountId: ACCOUNT, type: 'AWS::ECR::PublicRepository', ARN: `arn:aws:ecr-public::${ACCOUNT}:repository/trail/public` }]);
    }
    expect(recordOf(events[0])).toMatchObject({
      readOnly: false,
      userAgent: 'docker/27.0 go/go1.22',
      userIdentity: { type: 'IAMUser', userName: 'test' },
      requestParameters: { registryId: ACCOUNT, repositoryName: 'trail/public', imageTag: 'v1' },
    });
    expect(recordOf(events[1]).requestParameters.layerDigests).toEqual([digestOf(img.layers[0]!)]);
  });

  it('records a refused public registry push with its error code', async () => {
    const pub = ecrPublicClient(emu.url);
    await pub.send(new CreatePublicRepositoryCommand({ repositoryName: 'trail/public-ro' }));
    const host = `localhost:${emu.port}`;
    const name = `${await publicAlias(pub)}/trail/public-ro`;
    const password = await publicLoginPassword(ecrPublicClient(emu.url, { key: 'readonly' }));
    const token = await rawRequest(emu.url, {
      path: `/_ecr-public/token?service=${host}&scope=repository:${name}:pull,push`,
      headers: { Host: host, Authorization: basicAuth(password) },
    });
    const start = await rawRequest(emu.url, {
      method: 'POST',
      path: `/v2/${name}/blobs/uploads/`,
      headers: { Host: host, Authorization: `Bearer ${JSON.parse(token.body).token as string}` },
    });
    expect(start.status).toBe(403);
    const [e] = await byResource('trail/public-ro', { MaxResults: 1 });
    expect(e).toMatchObject({ EventName: 'InitiateLayerUpload', EventSource: 'ecr-public.amazonaws.com', Username: 'readonly' });
    expect(recordOf(e).errorCode).toBe('AccessDeniedException');
    expect(recordOf(e).errorMessage).toMatch(/is not authorized to perform: ecr-public:InitiateLayerUpload/);
  });
});

describe('LookupEvents', () => {
  it('finds events by each lookup attribute', async () => {
    await ecrClient(emu.url).send(new CreateRepositoryCommand({ repositoryName: 'trail/attrs' }));
    const [e] = await byResource('trail/attrs');
    const find = async (AttributeKey: NonNullable<LookupEventsCommandInput['LookupAttributes']>[number]['AttributeKey'], AttributeValue: string) =>
      (await lookup({ LookupAttributes: [{ AttributeKey, AttributeValue }], MaxResults: 50 })).map((x) => x.EventId);
    expect(await find('EventId', e!.EventId!)).toEqual([e!.EventId]);
    expect(await find('EventName', 'CreateRepository')).toContain(e!.EventId);
    expect(await find('EventSource', 'ecr.amazonaws.com')).toContain(e!.EventId);
    expect(await find('ReadOnly', 'false')).toContain(e!.EventId);
    expect(await find('ReadOnly', 'true')).not.toContain(e!.EventId);
    expect(await find('Username', 'test')).toContain(e!.EventId);
    expect(await find('AccessKeyId', 'test')).toContain(e!.EventId);
    expect(await find('ResourceType', 'AWS::ECR::Repository')).toContain(e!.EventId);
    expect(await find('ResourceName', 'trail/nothing-here')).toEqual([]);
  });

  it('pages newest first with NextToken, within the time range', async () => {
    const ecr = ecrClient(emu.url);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'trail/paged' }));
    for (let i = 0; i < 4; i++) await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['trail/paged'] }));
    const all = await byResource('trail/paged');
    expect(all.map((e) => e.EventName)).toEqual(['DescribeRepositories', 'DescribeRepositories', 'DescribeRepositories', 'DescribeRepositories', 'CreateRepository']);

    const ids: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await trail().send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'trail/paged' }], MaxResults: 2, NextToken: token }),
      );
      ids.push(...(out.Events ?? []).map((e) => e.EventId!));
      token = out.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(ids).toEqual(all.map((e) => e.EventId));

    const times = all.map((e) => e.EventTime!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(await byResource('trail/paged', { EndTime: new Date(Date.now() - 3_600_000) })).toEqual([]);
    expect((await byResource('trail/paged', { StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(Date.now() + 60_000) })).length).toBe(5);
  });

  it("answers CloudTrail's errors for input it refuses", async () => {
    const ct = trail();
    const two = await failure(
      ct.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: 'EventName', AttributeValue: 'PutImage' },
            { AttributeKey: 'Username', AttributeValue: 'test' },
          ],
        }),
      ),
    );
    expect(two.name).toBe('InvalidLookupAttributesException');
    expect((await failure(ct.send(new LookupEventsCommand({ MaxResults: 51 })))).name).toBe('InvalidMaxResultsException');
    expect((await failure(ct.send(new LookupEventsCommand({ MaxResults: 0 })))).name).toBe('InvalidMaxResultsException');
    const range = await failure(ct.send(new LookupEventsCommand({ StartTime: new Date(Date.now()), EndTime: new Date(Date.now() - 60_000) })));
    expect(range.name).toBe('InvalidTimeRangeException');
    expect((await failure(ct.send(new LookupEventsCommand({ NextToken: 'not-a-token' })))).name).toBe('InvalidNextTokenException');

    // A token only continues the lookup that made it.
    const first = await ct.send(new LookupEventsCommand({ MaxResults: 1 }));
    expect(first.NextToken).toBeDefined();
    const other = await failure(
      ct.send(new LookupEventsCommand({ MaxResults: 1, NextToken: first.NextToken, LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'test' }] })),
    );
    expect(other.name).toBe('InvalidNextTokenException');
    // Insights events are a category of their own; none are generated.
    expect((await ct.send(new LookupEventsCommand({ EventCategory: 'insight' }))).Events).toEqual([]);
  });

  it('is authorized like any call: the readonly key may look up, and is refused a trail', async () => {
    const ro = trail('readonly');
    expect((await ro.send(new LookupEventsCommand({ MaxResults: 1 }))).Events).toHaveLength(1);
    const err = await failure(ro.send(new CreateTrailCommand({ Name: 'nope', S3BucketName: 'whatever' })));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toContain('cloudtrail:CreateTrail');
  });

  it('answers NotImplemented for operations it does not model', async () => {
    const err = await failure(trail().send(new CreateEventDataStoreCommand({ Name: 'lake' })));
    expect(err.name).toBe('NotImplemented');
    expect(err.$metadata?.httpStatusCode).toBe(501);
  });
});

describe('trails and S3 data events', () => {
  const dataEvents = (): Json[] => {
    const db = new Database(path.join(emu.dataDir, 'emulator.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT event_name, trails_json FROM cloudtrail_events WHERE category = 'Data' ORDER BY seq").all() as Json[];
    } finally {
      db.close();
    }
  };

  it('keeps object reads and writes only for a logging trail whose selectors take them, never in event history', async () => {
    const s3 = s3Client(emu.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'trail-data' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'trail-logs',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::trail-logs/*' }],
        }),
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'trail-data', Key: 'before.txt', Body: 'x' }));

    const ct = trail();
    const created = await ct.send(new CreateTrailCommand({ Name: 'objects', S3BucketName: 'trail-logs' }));
    expect(created.TrailARN).toBe(`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/objects`);
    expect((await ct.send(new GetTrailStatusCommand({ Name: 'objects' }))).IsLogging).toBe(false);
    const defaults = await ct.send(new GetEventSelectorsCommand({ TrailName: 'objects' }));
    expect(defaults.EventSelectors).toEqual([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]);

    await ct.send(
      new PutEventSelectorsCommand({
        TrailName: 'objects',
        EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::trail-data/'] }] }],
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'trail-data', Key: 'not-logging-yet.txt', Body: 'x' }));
    await ct.send(new StartLoggingCommand({ Name: 'objects' }));
    expect((await ct.send(new GetTrailStatusCommand({ Name: 'objects' }))).IsLogging).toBe(true);
    const [described] = (await ct.send(new DescribeTrailsCommand({}))).trailList ?? [];
    expect(described).toMatchObject({ Name: 'objects', S3BucketName: 'trail-logs', HomeRegion: 'us-east-1', HasCustomEventSelectors: true });

    await s3.send(new PutObjectCommand({ Bucket: 'trail-data', Key: 'logged.txt', Body: 'x' }));
    // A read, with a WriteOnly selector: not taken.
    await (await s3.send(new GetObjectCommand({ Bucket: 'trail-data', Key: 'logged.txt' }))).Body!.transformToString();
    // Another bucket: not taken.
    await s3.send(new PutObjectCommand({ Bucket: 'trail-logs', Key: 'other.txt', Body: 'x' }));
    // Event history is written before a lookup answers; data events the same way.
    await lookup({ MaxResults: 1 });
    expect(dataEvents()).toEqual([{ event_name: 'PutObject', trails_json: JSON.stringify([created.TrailARN]) }]);

    // Advanced selectors replace the basic ones: reads of any bucket now.
    await ct.send(
      new PutEventSelectorsCommand({
        TrailName: 'objects',
        AdvancedEventSelectors: [
          {
            Name: 'reads',
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
              { Field: 'readOnly', Equals: ['true'] },
            ],
          },
        ],
      }),
    );
    const sel = await ct.send(new GetEventSelectorsCommand({ TrailName: 'objects' }));
    expect(sel.EventSelectors).toBeUndefined();
    expect(sel.AdvancedEventSelectors?.[0]?.Name).toBe('reads');
    await (await s3.send(new GetObjectCommand({ Bucket: 'trail-logs', Key: 'other.txt' }))).Body!.transformToString();
    await s3.send(new PutObjectCommand({ Bucket: 'trail-data', Key: 'write-not-taken.txt', Body: 'x' }));
    await lookup({ MaxResults: 1 });
    expect(dataEvents().map((r) => r.event_name)).toEqual(['PutObject', 'GetObject']);

    // Data events never come back from LookupEvents; the bucket's management events do.
    const history = await byResource('trail-data');
    expect(history.map((e) => e.EventName)).toEqual(['CreateBucket']);
    expect((await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'PutObject' }] })).length).toBe(0);

    await ct.send(new StopLoggingCommand({ Name: 'objects' }));
    expect((await ct.send(new GetTrailStatusCommand({ Name: 'objects' }))).IsLogging).toBe(false);
  });

  it('refuses bad trails and selectors with CloudTrail error codes', async () => {
    const ct = trail();
    expect((await failure(ct.send(new CreateTrailCommand({ Name: 'no-bucket', S3BucketName: 'trail-missing-bucket' })))).name).toBe(
      'S3BucketDoesNotExistException',
    );
    expect((await failure(ct.send(new CreateTrailCommand({ Name: 'a', S3BucketName: 'trail-logs' })))).name).toBe('InvalidTrailNameException');
    expect((await failure(ct.send(new CreateTrailCommand({ Name: 'objects', S3BucketName: 'trail-logs' })))).name).toBe('TrailAlreadyExistsException');
    expect((await failure(ct.send(new GetTrailStatusCommand({ Name: 'nope' })))).name).toBe('TrailNotFoundException');
    expect((await failure(ct.send(new GetTrailStatusCommand({ Name: 'arn:aws:cloudtrail:bad' })))).name).toBe('CloudTrailARNInvalidException');
    const both = await failure(
      ct.send(
        new PutEventSelectorsCommand({
          TrailName: 'objects',
          EventSelectors: [{ ReadWriteType: 'All' }],
          AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }],
        }),
      ),
    );
    expect(both.name).toBe('InvalidParameterCombinationException');
    const badType = await failure(
      ct.send(new PutEventSelectorsCommand({ TrailName: 'objects', EventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Bucket', Values: ['arn:aws:s3'] }] }] })),
    );
    expect(badType.name).toBe('InvalidEventSelectorsException');
    await ct.send(new DeleteTrailCommand({ Name: 'objects' }));
    expect((await ct.send(new DescribeTrailsCommand({}))).trailList).toEqual([]);
  });
});

describe('retention', () => {
  it('keeps 90 days of event history', async () => {
    await ecrClient(emu.url).send(new CreateRepositoryCommand({ repositoryName: 'trail/old' }));
    expect(await byResource('trail/old')).toHaveLength(1);
    await setClock(emu.url, 91 * 24 * 3_600_000);
    try {
      expect(await byResource('trail/old')).toEqual([]);
    } finally {
      await setClock(emu.url, 0);
    }
  });
});

describe('the bound on stored events', () => {
  it('keeps at most BERTH_EMULATOR_CLOUDTRAIL_MAX_EVENTS events, dropping the oldest', async () => {
    const small = await spawnEmulator({ args: ['--quiet', '--no-seed'], env: { BERTH_EMULATOR_CLOUDTRAIL_MAX_EVENTS: '20' } });
    try {
      const ecr = ecrClient(small.url);
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'bounded' }));
      for (let i = 0; i < 30; i++) await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['bounded'] }));
      // Pruning runs at most once a minute of the emulator's clock.
      await setClock(small.url, 2 * 60_000);
      const ct = new CloudTrailClient({ endpoint: small.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      await ct.send(new LookupEventsCommand({ MaxResults: 1 }));
      const events = (await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'bounded' }] }))).Events ?? [];
      expect(events.length).toBeGreaterThan(10);
      expect(events.length).toBeLessThanOrEqual(20);
      // The oldest went first: the create is gone, the newest reads are there.
      expect(events.map((e) => e.EventName)).not.toContain('CreateRepository');
      const db = new Database(path.join(small.dataDir, 'emulator.sqlite'), { readonly: true, fileMustExist: true });
      try {
        expect((db.prepare('SELECT COUNT(*) AS n FROM cloudtrail_events').get() as { n: number }).n).toBeLessThanOrEqual(21);
      } finally {
        db.close();
      }
    } finally {
      await small.stop();
    }
  });
});
