import { GetCallerIdentityCommand, GetFederationTokenCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, sigV4For, stsClient } from '../test-support/clients';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

/**
 * The model-driven wire layer: every operation in a service's model is
 * routed, implemented ones speak the model's shapes, and the rest answer
 * NotImplemented, naming the operation, in the protocol's own error shape.
 */
let emu: SpawnedEmulator;

beforeAll(async () => {
  emu = await spawnEmulator();
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

describe('STS on the model-driven layer (query protocol)', () => {
  it('answers GetCallerIdentity in the shape the SDK reads', async () => {
    const out = await stsClient(emu.url).send(new GetCallerIdentityCommand({}));
    expect(out.Arn).toBe('arn:aws:iam::123456789012:user/test');
    expect(out.Account).toBe('123456789012');
    expect(out.UserId).toMatch(/^AIDA/);
  });

  it('answers an operation of the model it does not implement as NotImplemented, naming it', async () => {
    const err = await failure(stsClient(emu.url).send(new GetFederationTokenCommand({ Name: 'bob' })));
    expect(err.name).toBe('NotImplemented');
    expect(err.message).toContain('GetFederationToken');
    expect(err.$metadata?.httpStatusCode).toBe(501);
  });

  it('refuses an action the model does not have with InvalidAction', async () => {
    const res = await rawRequest(emu.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: sigV4For('sts') },
      body: 'Action=Fly&Version=2011-06-15',
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>InvalidAction</Code>');
  });
});
