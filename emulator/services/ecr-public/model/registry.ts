import { randomInt } from 'node:crypto';
import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';

/**
 * The account's one public registry: its id (the account), its alias and its
 * catalog data. AWS assigns the registry a default alias when its first
 * public repository is created: eight random lower-case letters and digits
 * (`public.ecr.aws/a1b2c3d4/...`), which the account may later replace with
 * a custom one in the console (the API has no call for it). Until then
 * DescribeRegistries lists no registry, since a registry without an alias has
 * no URI. The emulator does the same, once per data folder, and keeps it.
 * https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_RegistryAlias.html
 */

interface RegistryRow {
  registry_id: string;
  alias: string | null;
  display_name: string | null;
  created_at_ms: number;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Eight characters starting with a letter, as the RegistryAliasName pattern `^[a-z][a-z0-9]+…` requires. */
function newAlias(): string {
  let s = ALPHABET[randomInt(26)] ?? 'a';
  for (let i = 1; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)] ?? '0';
  return s;
}

/** The registry row, made (without an alias) on first use. */
export function registry(env: EmulatorEnv): RegistryRow {
  const db = env.db;
  const get = () => db.prepare('SELECT * FROM ecr_public_registry WHERE registry_id = ?').get(env.accountId) as RegistryRow | undefined;
  const have = get();
  if (have) return have;
  db.prepare('INSERT OR IGNORE INTO ecr_public_registry (registry_id, alias, display_name, created_at_ms) VALUES (?, NULL, NULL, ?)').run(
    env.accountId,
    env.now(),
  );
  return get()!;
}

/** The default alias, assigned with the first repository (CreateRepository calls this). */
export function assignAlias(env: EmulatorEnv): string {
  const r = registry(env);
  if (r.alias !== null) return r.alias;
  const alias = newAlias();
  env.db.prepare('UPDATE ecr_public_registry SET alias = ? WHERE registry_id = ? AND alias IS NULL').run(alias, env.accountId);
  return registry(env).alias ?? alias;
}

export function setDisplayName(env: EmulatorEnv, displayName: string | undefined): RegistryRow {
  registry(env);
  // An absent displayName clears it, as a PUT of the catalog data replaces it whole.
  env.db.prepare('UPDATE ecr_public_registry SET display_name = ? WHERE registry_id = ?').run(displayName ?? null, env.accountId);
  return registry(env);
}

export function registryArn(env: EmulatorEnv): string {
  return `arn:aws:ecr-public::${env.accountId}:registry/${env.accountId}`;
}

/** ECR Public ARNs name no region: the registry is global. */
export function repositoryArn(env: EmulatorEnv, name: string): string {
  return `arn:aws:ecr-public::${env.accountId}:repository/${name}`;
}

/**
 * The host:port where the emulator serves the public registry: `localhost`
 * on the port the caller reached, where the private registry is
 * `127.0.0.1:<port>`. Docker and skopeo key credentials by host, so the two
 * registries need distinct hosts; `localhost` resolves to the loopback
 * address everywhere, and Docker treats registries on 127.0.0.0/8 as
 * insecure (plain HTTP) without any daemon configuration: it resolves a
 * registry's host name and matches the addresses against its default
 * insecure CIDRs (`isCIDRMatch` in moby's registry/config.go).
 * https://docs.docker.com/reference/cli/dockerd/#insecure-registries
 */
export function publicRegistryHost(requestHost: string | undefined): string {
  const h = requestHost ?? '';
  // [v6]:port or name:port
  const m = /^(?:\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(h);
  const port = m?.[1];
  return port ? `localhost:${port}` : 'localhost';
}

/** Whether a request's Host names the public registry (any port). */
export function isPublicRegistryHost(requestHost: string | undefined): boolean {
  return /^localhost(?::\d+)?$/i.test(requestHost ?? '');
}

/** The registry's URI; only asked for once a repository (and so the alias) exists. */
export function registryUri(env: EmulatorEnv, requestHost: string | undefined): string {
  return `${publicRegistryHost(requestHost)}/${assignAlias(env)}`;
}

export function repositoryUri(env: EmulatorEnv, requestHost: string | undefined, name: string): string {
  return `${registryUri(env, requestHost)}/${name}`;
}

/** Whether a request's registryId (the account id, or for some operations its alias) names this account's registry. */
export function isOwnRegistry(env: EmulatorEnv, registryId: string | undefined): boolean {
  return registryId === undefined || registryId === env.accountId || registryId === registry(env).alias;
}

/**
 * The layer and PutImage operations take a registry id or alias and, for
 * one that is not the caller's, answer RegistryNotFoundException (the only
 * operations whose model lists it); the others answer
 * RepositoryNotFoundException naming the registry asked for.
 */
export function checkRegistryRef(env: EmulatorEnv, registryId: string | undefined): void {
  if (isOwnRegistry(env, registryId)) return;
  throw new AwsError('RegistryNotFoundException', `The registry with id '${registryId}' does not exist`);
}
