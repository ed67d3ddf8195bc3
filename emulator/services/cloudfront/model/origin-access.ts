import { createHash } from 'node:crypto';
import type {
  CloudFrontOriginAccessIdentity,
  CloudFrontOriginAccessIdentityConfig,
  CloudFrontOriginAccessIdentitySummary,
  OriginAccessControl,
  OriginAccessControlConfig,
  OriginAccessControlSummary,
} from '@aws-sdk/client-cloudfront';
import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { checkIfMatch, invalidArgument, newEtag, newId, pageOf, type Page } from './common';
import { distributionsWhere, getOac, getOai, oaiIdOf, type OacRow, type OaiRow } from './store';

/**
 * Origin Access Control (OAC) and the legacy Origin Access Identity (OAI).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 */

// ---- Origin Access Control

function noSuchOac(): AwsError {
  return new AwsError('NoSuchOriginAccessControl', 'The origin access control does not exist.', 404);
}

function requireOac(env: EmulatorEnv, id: string): OacRow {
  const row = getOac(env.db, id);
  if (!row) throw noSuchOac();
  return row;
}

function checkOacConfig(c: OriginAccessControlConfig): OriginAccessControlConfig {
  const name = c.Name ?? '';
  if (name.length < 1 || name.length > 64) throw invalidArgument('The name of an origin access control must be 1 to 64 characters long.');
  if ((c.Description ?? '').length > 256) throw invalidArgument('The description of an origin access control can be at most 256 characters long.');
  return {
    Name: name,
    Description: c.Description ?? '',
    SigningProtocol: c.SigningProtocol,
    SigningBehavior: c.SigningBehavior,
    OriginAccessControlOriginType: c.OriginAccessControlOriginType,
  };
}

function nameTaken(env: EmulatorEnv, name: string, exceptId?: string): void {
  const other = env.db.prepare('SELECT id FROM cloudfront_origin_access_controls WHERE name = ?').get(name) as { id: string } | undefined;
  if (other && other.id !== exceptId) {
    throw new AwsError('OriginAccessControlAlreadyExists', `An origin access control with the name ${name} already exists: ${other.id}.`, 409);
  }
}

export interface OacView {
  oac: OriginAccessControl;
  etag: string;
}

function oacView(row: OacRow): OacView {
  return { etag: row.etag, oac: { Id: row.id, OriginAccessControlConfig: JSON.parse(row.config_json) as OriginAccessControlConfig } };
}

/** Inserts an OAC without the name check (the seed's own transaction does that). */
export function insertOac(env: EmulatorEnv, input: OriginAccessControlConfig): OacRow {
  const config = checkOacConfig(input);
  const row: OacRow = { id: newId(), name: config.Name ?? '', etag: newEtag(), config_json: JSON.stringify(config) };
  env.db.prepare('INSERT INTO cloudfront_origin_access_controls (id, name, etag, config_json) VALUES (@id, @name, @etag, @config_json)').run(row);
  return row;
}

export function createOac(env: EmulatorEnv, input: OriginAccessControlConfig): OacView {
  const config = checkOacConfig(input);
  const row = env.db
    .transaction(() => {
      nameTaken(env, config.Name ?? '');
      return insertOac(env, config);
    })
    .immediate();
  return oacView(row);
}

export function getOacView(env: EmulatorEnv, id: string): OacView {
  return oacView(requireOac(env, id));
}

export function listOacs(env: EmulatorEnv, input: { Marker?: string; MaxItems?: number }): Page<OriginAccessControlSummary> {
  const rows = env.db.prepare('SELECT * FROM cloudfront_origin_access_controls ORDER BY id').all() as OacRow[];
  const page = pageOf(rows, (r) => r.id, input);
  return {
    ...page,
    items: page.items.map((r) => {
      const c = JSON.parse(r.config_json) as OriginAccessControlConfig;
      return {
        Id: r.id,
        Description: c.Description ?? '',
        Name: c.Name,
        SigningProtocol: c.SigningProtocol,
        SigningBehavior: c.SigningBehavior,
        OriginAccessControlOriginType: c.OriginAccessControlOriginType,
      };
    }),
  };
}

export function updateOac(env: EmulatorEnv, id: string, ifMatch: string | undefined, input: OriginAccessControlConfig): OacView {
  const db = env.db;
  const row = db
    .transaction(() => {
      const current = requireOac(env, id);
      checkIfMatch(ifMatch, current.etag);
      const config = checkOacConfig(input);
      const before = JSON.parse(current.config_json) as OriginAccessControlConfig;
      if (config.OriginAccessControlOriginType !== before.OriginAccessControlOriginType) {
        throw new AwsError('IllegalUpdate', 'The origin type of an origin access control cannot be changed.', 400);
      }
      nameTaken(env, config.Name ?? '', current.id);
      const next: OacRow = { ...current, name: config.Name ?? '', etag: newEtag(), config_json: JSON.stringify(config) };
      db.prepare('UPDATE cloudfront_origin_access_controls SET name = @name, etag = @etag, config_json = @config_json WHERE id = @id').run(next);
      return next;
    })
    .immediate();
  return oacView(row);
}

export function deleteOac(env: EmulatorEnv, id: string, ifMatch: string | undefined): void {
  const db = env.db;
  db.transaction(() => {
    const row = requireOac(env, id);
    checkIfMatch(ifMatch, row.etag);
    const users = distributionsWhere(db, (c) => (c.Origins?.Items ?? []).some((o) => o.OriginAccessControlId === row.id));
    if (users.length > 0) {
      throw new AwsError(
        'OriginAccessControlInUse',
        `Cannot delete the origin access control because it's in use by one or more distributions: ${users.join(', ')}.`,
        409,
      );
    }
    db.prepare('DELETE FROM cloudfront_origin_access_controls WHERE id = ?').run(row.id);
  }).immediate();
}

// ---- Origin Access Identity (legacy)

/** OAIs have a 96-hex-digit S3 canonical user id; derive a stable one from the id. */
function canonicalUserIdFor(id: string): string {
  return createHash('sha384').update(`berth-emulator:oai:${id}`).digest('hex');
}

function requireOai(env: EmulatorEnv, id: string): OaiRow {
  const row = getOai(env.db, id);
  if (!row) throw new AwsError('NoSuchCloudFrontOriginAccessIdentity', 'The specified origin access identity does not exist.', 404);
  return row;
}

function checkOaiConfig(c: CloudFrontOriginAccessIdentityConfig): { CallerReference: string; Comment: string } {
  const ref = c.CallerReference ?? '';
  const comment = c.Comment ?? '';
  if (ref === '') throw invalidArgument('The parameter CallerReference must not be empty.');
  if (comment.length > 128) throw invalidArgument('The parameter Comment is too long: it can be at most 128 characters.');
  return { CallerReference: ref, Comment: comment };
}

export interface OaiView {
  oai: CloudFrontOriginAccessIdentity;
  etag: string;
}

function oaiView(row: OaiRow): OaiView {
  return {
    etag: row.etag,
    oai: {
      Id: row.id,
      S3CanonicalUserId: row.canonical_user_id,
      CloudFrontOriginAccessIdentityConfig: { CallerReference: row.caller_reference, Comment: row.comment },
    },
  };
}

export function createOai(env: EmulatorEnv, input: CloudFrontOriginAccessIdentityConfig): OaiView {
  const config = checkOaiConfig(input);
  const db = env.db;
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
  return oaiView(row);
}

export function getOaiView(env: EmulatorEnv, id: string): OaiView {
  return oaiView(requireOai(env, id));
}

export function listOais(env: EmulatorEnv, input: { Marker?: string; MaxItems?: number }): Page<CloudFrontOriginAccessIdentitySummary> {
  const rows = env.db.prepare('SELECT * FROM cloudfront_origin_access_identities ORDER BY id').all() as OaiRow[];
  const page = pageOf(rows, (r) => r.id, input);
  return { ...page, items: page.items.map((r) => ({ Id: r.id, S3CanonicalUserId: r.canonical_user_id, Comment: r.comment })) };
}

export function updateOai(env: EmulatorEnv, id: string, ifMatch: string | undefined, input: CloudFrontOriginAccessIdentityConfig): OaiView {
  const db = env.db;
  const row = db
    .transaction(() => {
      const current = requireOai(env, id);
      checkIfMatch(ifMatch, current.etag);
      const config = checkOaiConfig(input);
      if (config.CallerReference !== current.caller_reference) {
        throw new AwsError('IllegalUpdate', 'The CallerReference of an origin access identity cannot be changed.', 400);
      }
      const next: OaiRow = { ...current, comment: config.Comment, etag: newEtag() };
      db.prepare('UPDATE cloudfront_origin_access_identities SET comment = @comment, etag = @etag WHERE id = @id').run(next);
      return next;
    })
    .immediate();
  return oaiView(row);
}

export function deleteOai(env: EmulatorEnv, id: string, ifMatch: string | undefined): void {
  const db = env.db;
  db.transaction(() => {
    const row = requireOai(env, id);
    checkIfMatch(ifMatch, row.etag);
    const users = distributionsWhere(db, (c) => (c.Origins?.Items ?? []).some((o) => oaiIdOf(o.S3OriginConfig?.OriginAccessIdentity) === row.id));
    if (users.length > 0) {
      throw new AwsError('CloudFrontOriginAccessIdentityInUse', `The origin access identity is still used by distributions: ${users.join(', ')}.`, 409);
    }
    db.prepare('DELETE FROM cloudfront_origin_access_identities WHERE id = ?').run(row.id);
  }).immediate();
}
