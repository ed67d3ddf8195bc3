import 'server-only';
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { ecrClient } from '@/lib/aws/clients';

// The registry's address, from GetAuthorizationToken's proxyEndpoint: on AWS
// "https://<account>.dkr.ecr.<region>.amazonaws.com", on the emulator its own
// address. Only the address is kept: the token itself never leaves this module.
const cached = new Map<string, { host: string; secure: boolean; until: number }>();

export async function getRegistry(region: string): Promise<{ host: string; secure: boolean }> {
  const hit = cached.get(region);
  if (hit && hit.until > Date.now()) return hit;
  const out = await ecrClient(region).send(new GetAuthorizationTokenCommand({}));
  const endpoint = out.authorizationData?.[0]?.proxyEndpoint;
  if (!endpoint) throw new Error('GetAuthorizationToken returned no proxyEndpoint');
  const url = new URL(endpoint);
  const entry = { host: url.host, secure: url.protocol === 'https:', until: Date.now() + 60 * 60 * 1000 };
  cached.set(region, entry);
  return entry;
}
