import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { getRepository, repositoryArn } from '../repositories';
import { validateRepositoryPolicy } from '../settings';
import { invalidParameter } from '../validation';

/**
 * Registry-level settings of the private registry, kept per region as ECR
 * keeps them: the replication configuration, the scanning configuration and
 * the registry permissions policy.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-settings.html
 *
 * Images are replicated at push time by model/replication.ts, to the
 * destination regions of this account only.
 */

export interface ReplicationDestination {
  region: string;
  registryId: string;
}

export interface RepositoryFilter {
  filter: string;
  filterType: string;
}

export interface ReplicationRule {
  destinations: ReplicationDestination[];
  repositoryFilters?: RepositoryFilter[];
}

export interface ReplicationConfiguration {
  rules: ReplicationRule[];
}

export interface ScanningRule {
  scanFrequency: string;
  repositoryFilters: RepositoryFilter[];
}

export interface ScanningConfiguration {
  scanType: string;
  rules: ScanningRule[];
}

interface SettingsRow {
  replication: string | null;
  scanning: string | null;
  policy: string | null;
}

function row(env: EmulatorEnv, region: string): SettingsRow | undefined {
  return env.db.prepare('SELECT replication, scanning, policy FROM ecr_registry_settings WHERE region = ?').get(region) as
    | SettingsRow
    | undefined;
}

function save(env: EmulatorEnv, region: string, column: keyof SettingsRow, value: string | null): void {
  env.db
    .prepare(
      `INSERT INTO ecr_registry_settings (region, ${column}) VALUES (?, ?)
       ON CONFLICT (region) DO UPDATE SET ${column} = excluded.${column}`,
    )
    .run(region, value);
}

function required<T>(value: T | undefined | null, field: string): T {
  if (value === undefined || value === null) throw invalidParameter(field, 'must not be null');
  return value;
}

// ---------------------------------------------------------------- replication

/** What DescribeRegistry reports: an empty rule list until a configuration is put. */
export function getReplication(env: EmulatorEnv, region: string): ReplicationConfiguration {
  const text = row(env, region)?.replication;
  return text ? (JSON.parse(text) as ReplicationConfiguration) : { rules: [] };
}

/**
 * The documented limit on destinations: "you can configure up to 25 unique
 * destinations across all rules" (private image replication, ECR user guide).
 */
const MAX_DESTINATIONS = 25;

/**
 * PutReplicationConfiguration: replaces the registry's configuration. A
 * destination must differ from the registry itself (the same account and
 * region), which ECR refuses; at most 25 distinct destinations in all.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutReplicationConfiguration.html
 */
export function putReplication(
  env: EmulatorEnv,
  region: string,
  raw: { rules?: { destinations?: { region?: string; registryId?: string }[]; repositoryFilters?: { filter?: string; filterType?: string }[] }[] } | undefined,
): ReplicationConfiguration {
  const cfg = required(raw, 'replicationConfiguration');
  const rawRules = required(cfg.rules, 'replicationConfiguration.rules');
  const unique = new Set<string>();
  const rules = rawRules.map((r, i): ReplicationRule => {
    const where = `replicationConfiguration.rules.${i + 1}`;
    const destinations = required(r.destinations, `${where}.destinations`).map((d, j) => {
      const dest = {
        region: required(d.region, `${where}.destinations.${j + 1}.region`),
        registryId: required(d.registryId, `${where}.destinations.${j + 1}.registryId`),
      };
      if (dest.region === region && dest.registryId === env.accountId) {
        throw invalidParameter(`${where}.destinations.${j + 1}`, 'Replication destination cannot be the registry that is being configured (the same account and region)');
      }
      unique.add(`${dest.registryId}/${dest.region}`);
      return dest;
    });
    const filters = r.repositoryFilters?.map((f, j) => ({
      filter: required(f.filter, `${where}.repositoryFilters.${j + 1}.filter`),
      filterType: required(f.filterType, `${where}.repositoryFilters.${j + 1}.filterType`),
    }));
    return { destinations, ...(filters ? { repositoryFilters: filters } : {}) };
  });
  if (unique.size > MAX_DESTINATIONS) {
    throw invalidParameter('replicationConfiguration', `A replication configuration can have at most ${MAX_DESTINATIONS} unique destinations across all rules; this one has ${unique.size}`);
  }
  const out = { rules };
  save(env, region, 'replication', JSON.stringify(out));
  return out;
}

/** The destinations a repository's pushes would be replicated to: rules without filters, or a PREFIX_MATCH filter on its name. */
export function replicationDestinations(env: EmulatorEnv, region: string, repository: string): ReplicationDestination[] {
  const out: ReplicationDestination[] = [];
  for (const rule of getReplication(env, region).rules) {
    const matches = !rule.repositoryFilters?.length || rule.repositoryFilters.some((f) => repository.startsWith(f.filter));
    if (matches) out.push(...rule.destinations);
  }
  return out;
}

// ---------------------------------------------------------------- scanning

/** Without a configuration the registry uses BASIC scanning and no rules. */
export function getScanning(env: EmulatorEnv, region: string): ScanningConfiguration {
  const text = row(env, region)?.scanning;
  return text ? (JSON.parse(text) as ScanningConfiguration) : { scanType: 'BASIC', rules: [] };
}

/**
 * PutRegistryScanningConfiguration. The rule's frequency must suit the scan
 * type: BASIC scanning supports SCAN_ON_PUSH, ENHANCED supports SCAN_ON_PUSH
 * and CONTINUOUS_SCAN; MANUAL is what repositories no rule matches get, not a
 * rule of its own. One rule per frequency.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_RegistryScanningRule.html
 */
export function putScanning(
  env: EmulatorEnv,
  region: string,
  a: { scanType?: string; rules?: { scanFrequency?: string; repositoryFilters?: { filter?: string; filterType?: string }[] }[] },
): ScanningConfiguration {
  const scanType = a.scanType ?? 'BASIC';
  const allowed = scanType === 'ENHANCED' ? ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN'] : ['SCAN_ON_PUSH'];
  const seen = new Set<string>();
  const rules = (a.rules ?? []).map((r, i): ScanningRule => {
    const where = `rules.${i + 1}`;
    const scanFrequency = required(r.scanFrequency, `${where}.scanFrequency`);
    if (!allowed.includes(scanFrequency)) {
      throw invalidParameter(`${where}.scanFrequency`, `Scan frequency ${scanFrequency} is not supported with scan type ${scanType}; supported: ${allowed.join(', ')}`);
    }
    if (seen.has(scanFrequency)) throw invalidParameter(`${where}.scanFrequency`, `Only one rule may use the scan frequency ${scanFrequency}`);
    seen.add(scanFrequency);
    const repositoryFilters = required(r.repositoryFilters, `${where}.repositoryFilters`).map((f, j) => ({
      filter: required(f.filter, `${where}.repositoryFilters.${j + 1}.filter`),
      filterType: required(f.filterType, `${where}.repositoryFilters.${j + 1}.filterType`),
    }));
    return { scanFrequency, repositoryFilters };
  });
  const out = { scanType, rules };
  save(env, region, 'scanning', JSON.stringify(out));
  return out;
}

function wildcard(filter: string, name: string): boolean {
  const re = new RegExp(`^${filter.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

export interface RepositoryScanning {
  repositoryArn: string;
  repositoryName: string;
  scanOnPush: boolean;
  scanFrequency: string;
  appliedScanFilters: RepositoryFilter[];
}

/**
 * How one repository is scanned: by the first registry rule whose WILDCARD
 * filters match its name, else by its own scanOnPush setting (the
 * repository-level setting ECR still honours under BASIC scanning), else
 * manually.
 */
export function repositoryScanning(env: EmulatorEnv, region: string, name: string, repoScanOnPush: boolean): Omit<RepositoryScanning, 'repositoryArn' | 'repositoryName'> {
  const cfg = getScanning(env, region);
  for (const rule of cfg.rules) {
    const applied = rule.repositoryFilters.filter((f) => wildcard(f.filter, name));
    if (applied.length > 0) {
      return { scanOnPush: true, scanFrequency: rule.scanFrequency, appliedScanFilters: applied };
    }
  }
  if (repoScanOnPush) return { scanOnPush: true, scanFrequency: 'SCAN_ON_PUSH', appliedScanFilters: [] };
  return { scanOnPush: false, scanFrequency: 'MANUAL', appliedScanFilters: [] };
}

/** Whether a push to the repository starts a scan: its own setting or a registry rule. */
export function scansOnPush(env: EmulatorEnv, region: string, name: string, repoScanOnPush: boolean): boolean {
  return repositoryScanning(env, region, name, repoScanOnPush).scanOnPush;
}

/** BatchGetRepositoryScanningConfiguration: one entry per repository, a REPOSITORY_NOT_FOUND failure per unknown one. */
export function batchRepositoryScanning(
  env: EmulatorEnv,
  region: string,
  names: string[] | undefined,
): { configurations: RepositoryScanning[]; failures: { repositoryName: string; failureCode: string; failureReason: string }[] } {
  const list = required(names, 'repositoryNames');
  const configurations: RepositoryScanning[] = [];
  const failures: { repositoryName: string; failureCode: string; failureReason: string }[] = [];
  for (const name of list) {
    const repo = getRepository(env.db, region, name);
    if (!repo) {
      failures.push({ repositoryName: name, failureCode: 'REPOSITORY_NOT_FOUND', failureReason: 'REPOSITORY_NOT_FOUND' });
      continue;
    }
    configurations.push({
      repositoryArn: repositoryArn(region, env.accountId, name),
      repositoryName: name,
      ...repositoryScanning(env, region, name, repo.scan_on_push === 1),
    });
  }
  return { configurations, failures };
}

// ---------------------------------------------------------------- registry policy

function registryPolicyNotFound(env: EmulatorEnv): AwsError {
  return new AwsError('RegistryPolicyNotFoundException', `Registry policy does not exist in the registry with id '${env.accountId}'`);
}

/**
 * PutRegistryPolicy: the registry permissions policy, which grants other
 * accounts replication and pull through cache actions. Checked with the same
 * grammar as repository policies.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutRegistryPolicy.html
 */
export function putRegistryPolicy(env: EmulatorEnv, region: string, text: string | undefined): string {
  const policy = required(text, 'policyText');
  validateRepositoryPolicy(policy, 'registry');
  save(env, region, 'policy', policy);
  return policy;
}

export function getRegistryPolicy(env: EmulatorEnv, region: string): string {
  const text = row(env, region)?.policy;
  if (!text) throw registryPolicyNotFound(env);
  return text;
}

export function deleteRegistryPolicy(env: EmulatorEnv, region: string): string {
  const text = getRegistryPolicy(env, region);
  save(env, region, 'policy', null);
  return text;
}
