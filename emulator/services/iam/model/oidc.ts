import type { Tag } from '@aws-sdk/client-iam';
import {
  QUOTAS,
  entityAlreadyExists,
  limitExceeded,
  mergeTags,
  noSuchEntity,
  parseTags,
  removeTags,
  validationError,
  type Iam,
} from './common';

/**
 * OpenID Connect identity providers: what AssumeRoleWithWebIdentity trusts.
 * The ARN is `arn:aws:iam::<account>:oidc-provider/<host and path of the URL>`,
 * and the URL is answered without its `https://`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
 */

export interface OidcRow {
  arn: string;
  url: string;
  client_ids: string;
  thumbprints: string;
  created_ms: number;
  tags: string;
}

export function findOidc(iam: Pick<Iam, 'db'>, arn: string): OidcRow | undefined {
  return iam.db.prepare('SELECT * FROM iam_oidc_providers WHERE arn = ?').get(arn) as OidcRow | undefined;
}

export function requireOidc(iam: Iam, arn: string): OidcRow {
  const row = findOidc(iam, arn);
  if (!row) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return row;
}

/** `https://token.actions.githubusercontent.com/` → `token.actions.githubusercontent.com`. */
function hostAndPath(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw validationError('Invalid Open ID Connect Provider URL');
  }
  if (u.protocol !== 'https:' || u.host === '' || u.search !== '' || u.hash !== '') throw validationError('Invalid Open ID Connect Provider URL');
  return `${u.host.toLowerCase()}${u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '')}`;
}

function checkLists(clientIds: string[], thumbprints: string[]): void {
  if (clientIds.length > QUOTAS.clientIdsPerOidcProvider) {
    throw limitExceeded(`Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${QUOTAS.clientIdsPerOidcProvider}`);
  }
  if (thumbprints.length > QUOTAS.thumbprintsPerOidcProvider) {
    throw limitExceeded(`Cannot exceed quota for ThumbprintsPerOpenIdConnectProvider: ${QUOTAS.thumbprintsPerOidcProvider}`);
  }
}

export function createOidc(iam: Iam, input: { Url: string; ClientIDList?: string[]; ThumbprintList?: string[]; Tags?: Tag[] }): OidcRow {
  return iam.db.transaction(() => {
    const url = hostAndPath(input.Url);
    const arn = `arn:aws:iam::${iam.accountId}:oidc-provider/${url}`;
    if (findOidc(iam, arn)) throw entityAlreadyExists(`Provider with url https://${url} already exists.`);
    const clientIds = [...new Set(input.ClientIDList ?? [])];
    const thumbprints = [...new Set((input.ThumbprintList ?? []).map((t) => t.toLowerCase()))];
    checkLists(clientIds, thumbprints);
    const row: OidcRow = {
      arn,
      url,
      client_ids: JSON.stringify(clientIds),
      thumbprints: JSON.stringify(thumbprints),
      created_ms: iam.now(),
      tags: JSON.stringify(mergeTags([], input.Tags ?? [])),
    };
    iam.db
      .prepare('INSERT INTO iam_oidc_providers (arn, url, client_ids, thumbprints, created_ms, tags) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.arn, row.url, row.client_ids, row.thumbprints, row.created_ms, row.tags);
    return row;
  })();
}

export function listOidc(iam: Iam): OidcRow[] {
  return iam.db.prepare('SELECT * FROM iam_oidc_providers ORDER BY arn').all() as OidcRow[];
}

/**
 * Idempotent, as IAM documents it: deleting a provider that does not exist succeeds.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteOpenIDConnectProvider.html
 */
export function deleteOidc(iam: Iam, arn: string): void {
  iam.db.prepare('DELETE FROM iam_oidc_providers WHERE arn = ?').run(arn);
}

function update(iam: Iam, arn: string, change: (row: OidcRow) => Partial<Pick<OidcRow, 'client_ids' | 'thumbprints' | 'tags'>>): void {
  iam.db.transaction(() => {
    const row = requireOidc(iam, arn);
    const next = { ...row, ...change(row) };
    checkLists(JSON.parse(next.client_ids) as string[], JSON.parse(next.thumbprints) as string[]);
    iam.db
      .prepare('UPDATE iam_oidc_providers SET client_ids = ?, thumbprints = ?, tags = ? WHERE arn = ?')
      .run(next.client_ids, next.thumbprints, next.tags, arn);
  })();
}

/** Adding a client id already there changes nothing, as in IAM. */
export function addClientId(iam: Iam, arn: string, clientId: string): void {
  update(iam, arn, (row) => {
    const ids = JSON.parse(row.client_ids) as string[];
    return { client_ids: JSON.stringify(ids.includes(clientId) ? ids : [...ids, clientId]) };
  });
}

/** Removing a client id that is not there succeeds, as in IAM. */
export function removeClientId(iam: Iam, arn: string, clientId: string): void {
  update(iam, arn, (row) => ({ client_ids: JSON.stringify((JSON.parse(row.client_ids) as string[]).filter((c) => c !== clientId)) }));
}

/** Replaces the whole thumbprint list. */
export function updateThumbprints(iam: Iam, arn: string, thumbprints: string[]): void {
  update(iam, arn, () => ({ thumbprints: JSON.stringify([...new Set(thumbprints.map((t) => t.toLowerCase()))]) }));
}

export function tagOidc(iam: Iam, arn: string, tags: Tag[]): void {
  update(iam, arn, (row) => ({ tags: JSON.stringify(mergeTags(parseTags(row.tags), tags)) }));
}

export function untagOidc(iam: Iam, arn: string, keys: string[]): void {
  update(iam, arn, (row) => ({ tags: JSON.stringify(removeTags(parseTags(row.tags), keys)) }));
}
