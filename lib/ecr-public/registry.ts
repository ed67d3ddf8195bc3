import 'server-only';
import { cache } from 'react';
import { DescribeRegistriesCommand, GetRegistryCatalogDataCommand } from '@aws-sdk/client-ecr-public';
import { ecrPublicClient } from '@/lib/aws/clients';
import { registryHostOf } from './commands';
import './errors';

export interface PublicRegistry {
  registryId: string;
  /** e.g. `public.ecr.aws/a1b2c3d4` on AWS, as ECR Public answered it. */
  registryUri: string;
  /** The host `docker login` takes, read from registryUri. */
  host: string;
  /** The alias Berth shows: the primary one, else the default one, else the first. */
  alias: string | null;
  aliases: { name: string; status: string; primary: boolean; isDefault: boolean }[];
  verified: boolean;
  /** The registry's display name in the Gallery (GetRegistryCatalogData), when set. */
  displayName: string | null;
}

/**
 * The account's public registry, or null while it has none: AWS makes it, with
 * a default alias, when the first public repository is created. A request's
 * reads share one call (React cache).
 * https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_DescribeRegistries.html
 */
export const getPublicRegistry = cache(async (): Promise<PublicRegistry | null> => {
  const client = ecrPublicClient();
  const [described, catalog] = await Promise.all([
    client.send(new DescribeRegistriesCommand({})),
    // The display name is decoration: an identity allowed DescribeRegistries
    // but not GetRegistryCatalogData still sees its registry and address.
    client.send(new GetRegistryCatalogDataCommand({})).catch((error: unknown) => {
      console.warn('[ecr-public:GetRegistryCatalogData]', (error as Error).name);
      return null;
    }),
  ]);
  const r = described.registries?.[0];
  if (!r) return null;
  const aliases = (r.aliases ?? []).map((a) => ({
    name: a.name ?? '',
    status: a.status ?? '',
    primary: Boolean(a.primaryRegistryAlias),
    isDefault: Boolean(a.defaultRegistryAlias),
  }));
  const shown = aliases.find((a) => a.primary) ?? aliases.find((a) => a.isDefault) ?? aliases[0];
  return {
    registryId: r.registryId ?? '',
    registryUri: r.registryUri ?? '',
    host: registryHostOf(r.registryUri ?? ''),
    alias: shown?.name ?? null,
    aliases,
    verified: Boolean(r.verified),
    displayName: catalog?.registryCatalogData?.displayName || null,
  };
});
