import { createHash } from 'node:crypto';
import { AwsError } from '../../core/errors';
import type { Reply, RequestContext } from '../../core/types';
import { encode, encodeRoot, type Obj } from './codec';
import { API, PUBLIC_ENDPOINT, checkIfMatch, invalidArgument, newEtag, newId, paging, listXml, readBody } from './common';
import {
  OaiConfigShape,
  OaiShape,
  OaiSummaryShape,
  OriginAccessControlConfigShape,
  OriginAccessControlShape,
  OriginAccessControlSummaryShape,
} from './shapes';
import { distributionsWhere, getOac, getOai, oaiIdOf, type OacRow, type OaiRow } from './store';

/** Origin Access Control (OAC) and the legacy Origin Access Identity (OAI). */

// ---- Origin Access Control

interface OacConfig {
  Name: string;
  Description?: string;
  SigningProtocol: string;
  SigningBehavior: string;
  OriginAccessControlOriginType: string;
}

function noSuchOac(): AwsError {
  return new AwsError('NoSuchOriginAccessControl', 'The origin access control does not exist.', 404);
}

function requireOac(ctx: RequestContext): OacRow {
  const row = getOac(ctx.env.db, ctx.params.Id ?? '');
  if (!row) throw noSuchOac();
  return row;
}

function readOacConfig(ctx: RequestContext): OacConfig {
  const c = readBody(ctx, 'OriginAccessControlConfig', OriginAccessControlConfigShape) as unknown as OacConfig;
  if (c.Name.length < 1 || c.Name.length > 64) throw invalidArgument('The name of an origin access control must be 1 to 64 characters long.');
  if ((c.Description ?? '').length > 256) throw invalidArgument('The description of an origin access control can be at most 256 characters long.');
  c.Description ??= '';
  return c;
}

function nameTaken(ctx: RequestContext, name: string, exceptId?: string): void {
  const other = ctx.env.db.prepare('SELECT id FROM cloudfront_origin_access_controls WHERE name = ?').get(name) as { id: string } | undefined;
  if (other && other.id !== exceptId) {
    throw new AwsError('OriginAccessControlAlreadyExists', `An origin access control with the name ${name} already exists: ${other.id}.`, 409);
  }
}

function oacXml(row: OacRow): string {
  return encodeRoot(OriginAccessControlShape, { Id: row.id, OriginAccessControlConfig: JSON.parse(row.config_json) as Obj });
}

/** Inserts an OAC; the seed uses it too. */
export function insertOac(ctx: Pick<RequestContext, 'env'>, config: OacConfig): OacRow {
  const row: OacRow = { id: newId(), name: config.Name, etag: newEtag(), config_json: JSON.stringify(config) };
  ctx.env.db
    .prepare('INSERT INTO cloudfront_origin_access_controls (id, name, etag, config_json) VALUES (@id, @name, @etag, @config_json)')
    .run(row);
  return row;
}

export function createOriginAccessControlHandler(ctx: RequestContext): Reply {
  const config = readOacConfig(ctx);
  const row = ctx.env.db
    .transaction(() => {
      nameTaken(ctx, config.Name);
      return insertOac(ctx, config);
    })
    .immediate();
  return {
    status: 201,
    headers: { ETag: row.etag, Location: `${PUBLIC_ENDPOINT}${API}/origin-access-control/${row.id}` },
    xml: oacXml(row),
  };
}

export function getOriginAccessControlHandler(ctx: RequestContext): Reply {
  const row = requireOac(ctx);
  return { headers: { ETag: row.etag }, xml: oacXml(row) };
}

export function getOriginAccessControlConfigHandler(ctx: RequestContext): Reply {
  const row = requireOac(ctx);
  return { headers: { ETag: row.etag }, xml: encodeRoot(OriginAccessControlConfigShape, JSON.parse(row.config_json) as Obj) };
}

export function listOriginAccessControlsHandler(ctx: RequestContext): Reply {
  const { marker, maxItems } = paging(ctx);
  const rows = ctx.env.db
    .prepare('SELECT * FROM cloudfront_origin_access_controls WHERE id > ? ORDER BY id LIMIT ?')
    .all(marker, maxItems + 1) as OacRow[];
  const page = rows.slice(0, maxItems);
  const truncated = rows.length > maxItems;
  const items = page
    .map((r) => encode(OriginAccessControlSummaryShape, { Id: r.id, ...(JSON.parse(r.config_json) as Obj) }, 'OriginAccessControlSummary'))
    .join('');
  return { xml: listXml('OriginAccessControlList', marker, maxItems, truncated, page.at(-1)?.id, page.length, items) };
}

export function updateOriginAccessControlHandler(ctx: RequestContext): Reply {
  const db = ctx.env.db;
  const row = db
    .transaction(() => {
      const current = requireOac(ctx);
      checkIfMatch(ctx, current.etag);
      const config = readOacConfig(ctx);
      const before = JSON.parse(current.config_json) as OacConfig;
      if (config.OriginAccessControlOriginType !== before.OriginAccessControlOriginType) {
        throw new AwsError('IllegalUpdate', 'The origin type of an origin access control cannot be changed.', 400);
      }
      nameTaken(ctx, config.Name, current.id);
      const next: OacRow = { ...current, name: config.Name, etag: newEtag(), config_json: JSON.stringify(config) };
      db.prepare('UPDATE cloudfront_origin_access_controls SET name = @name, etag = @etag, config_json = @config_json WHERE id = @id').run(next);
      return next;
    })
    .immediate();
  return { headers: { ETag: row.etag }, xml: oacXml(row) };
}

export function deleteOriginAccessControlHandler(ctx: RequestContext): Reply {
  const db = ctx.env.db;
  db.transaction(() => {
    const row = requireOac(ctx);
    checkIfMatch(ctx, row.etag);
    const users = distributionsWhere(db, (c) => (c.Origins.Items ?? []).some((o) => o.OriginAccessControlId === row.id));
    if (users.length > 0) {
      throw new AwsError(
        'OriginAccessControlInUse',
        `Cannot delete the origin access control because it's in use by one or more distributions: ${users.join(', ')}.`,
        409,
      );
    }
    db.prepare('DELETE FROM cloudfront_origin_access_controls WHERE id = ?').run(row.id);
  }).immediate();
  return { status: 204 };
}

// ---- Origin Access Identity (legacy)

/** OAIs have a 96-hex-digit S3 canonical user id; derive a stable one from the id. */
function canonicalUserIdFor(id: string): string {
  return createHash('sha384').update(`berth-emulator:oai:${id}`).digest('hex');
}

function noSuchOai(): AwsError {
  return new AwsError('NoSuchCloudFrontOriginAccessIdentity', 'The specified origin access identity does not exist.', 404);
}

function requireOai(ctx: RequestContext): OaiRow {
  const row = getOai(ctx.env.db, ctx.params.Id ?? '');
  if (!row) throw noSuchOai();
  return row;
}

function readOaiConfig(ctx: RequestContext): { CallerReference: string; Comment: string } {
  const c = readBody(ctx, 'CloudFrontOriginAccessIdentityConfig', OaiConfigShape) as { CallerReference: string; Comment: string };
  if (c.CallerReference === '') throw invalidArgument('The parameter CallerReference must not be empty.');
  if (c.Comment.length > 128) throw invalidArgument('The parameter Comment is too long: it can be at most 128 characters.');
  return c;
}

function oaiXml(row: OaiRow): string {
  return encodeRoot(OaiShape, {
    Id: row.id,
    S3CanonicalUserId: row.canonical_user_id,
    CloudFrontOriginAccessIdentityConfig: { CallerReference: row.caller_reference, Comment: row.comment },
  });
}

function oaiReply(row: OaiRow, status = 200): Reply {
  const headers: Record<string, string> = { ETag: row.etag };
  if (status === 201) headers.Location = `${PUBLIC_ENDPOINT}${API}/origin-access-identity/cloudfront/${row.id}`;
  return { status, headers, xml: oaiXml(row) };
}

export function createOaiHandler(ctx: RequestContext): Reply {
  const config = readOaiConfig(ctx);
  const db = ctx.env.db;
  const row = db
    .transaction(() => {
      const existing = db
        .prepare('SELECT * FROM cloudfront_origin_access_identities WHERE caller_reference = ?')
        .get(config.CallerReference) as OaiRow | undefined;
      if (existing) {
        // The same request again gets the same answer; a different one with a used reference is refused.
        if (existing.comment === config.Comment) return existing;
        throw new AwsError(
          'CloudFrontOriginAccessIdentityAlreadyExists',
          `The CallerReference ${config.CallerReference} was already used for origin access identity ${existing.id} with a different comment.`,
          409,
        );
      }
      const id = newId();
      const r: OaiRow = { id, caller_reference: config.CallerReference, comment: config.Comment, canonical_user_id: canonicalUserIdFor(id), etag: newEtag() };
      db.prepare(
        `INSERT INTO cloudfront_origin_access_identities (id, caller_reference, comment, canonical_user_id, etag)
         VALUES (@id, @caller_reference, @comment, @canonical_user_id, @etag)`,
      ).run(r);
      return r;
    })
    .immediate();
  return oaiReply(row, 201);
}

export function getOaiHandler(ctx: RequestContext): Reply {
  return oaiReply(requireOai(ctx));
}

export function getOaiConfigHandler(ctx: RequestContext): Reply {
  const row = requireOai(ctx);
  return {
    headers: { ETag: row.etag },
    xml: encodeRoot(OaiConfigShape, { CallerReference: row.caller_reference, Comment: row.comment }),
  };
}

export function listOaisHandler(ctx: RequestContext): Reply {
  const { marker, maxItems } = paging(ctx);
  const rows = ctx.env.db
    .prepare('SELECT * FROM cloudfront_origin_access_identities WHERE id > ? ORDER BY id LIMIT ?')
    .all(marker, maxItems + 1) as OaiRow[];
  const page = rows.slice(0, maxItems);
  const truncated = rows.length > maxItems;
  const items = page
    .map((r) => encode(OaiSummaryShape, { Id: r.id, S3CanonicalUserId: r.canonical_user_id, Comment: r.comment }, 'CloudFrontOriginAccessIdentitySummary'))
    .join('');
  return { xml: listXml('CloudFrontOriginAccessIdentityList', marker, maxItems, truncated, page.at(-1)?.id, page.length, items) };
}

export function updateOaiHandler(ctx: RequestContext): Reply {
  const db = ctx.env.db;
  const row = db
    .transaction(() => {
      const current = requireOai(ctx);
      checkIfMatch(ctx, current.etag);
      const config = readOaiConfig(ctx);
      if (config.CallerReference !== current.caller_reference) {
        throw new AwsError('IllegalUpdate', 'The CallerReference of an origin access identity cannot be changed.', 400);
      }
      const next: OaiRow = { ...current, comment: config.Comment, etag: newEtag() };
      db.prepare('UPDATE cloudfront_origin_access_identities SET comment = @comment, etag = @etag WHERE id = @id').run(next);
      return next;
    })
    .immediate();
  return oaiReply(row);
}

export function deleteOaiHandler(ctx: RequestContext): Reply {
  const db = ctx.env.db;
  db.transaction(() => {
    const row = requireOai(ctx);
    checkIfMatch(ctx, row.etag);
    const users = distributionsWhere(db, (c) => (c.Origins.Items ?? []).some((o) => oaiIdOf(o.S3OriginConfig?.OriginAccessIdentity) === row.id));
    if (users.length > 0) {
      throw new AwsError('CloudFrontOriginAccessIdentityInUse', `The origin access identity is still used by distributions: ${users.join(', ')}.`, 409);
    }
    db.prepare('DELETE FROM cloudfront_origin_access_identities WHERE id = ?').run(row.id);
  }).immediate();
  return { status: 204 };
}
