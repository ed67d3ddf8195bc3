import type Database from 'better-sqlite3';

/**
 * Row access for web ACLs, shared with CloudFront: a distribution's WebACLId
 * must name one, and the edge refuses viewers when its default action blocks.
 */

export interface WebAclRow {
  id: string;
  name: string;
  scope: 'CLOUDFRONT' | 'REGIONAL';
  region: string;
  arn: string;
  lock_token: string;
  description: string | null;
  body_json: string;
  capacity: number;
  created_at_ms: number;
}

export function webAclByArn(db: Database.Database, arn: string): WebAclRow | undefined {
  return db.prepare('SELECT * FROM wafv2_web_acls WHERE arn = ?').get(arn) as WebAclRow | undefined;
}

/** The web ACL's default action, for the edge: `Block` refuses every request (rules are not evaluated). */
export function webAclBlocksByDefault(row: WebAclRow): boolean {
  const body = JSON.parse(row.body_json) as { DefaultAction?: { Block?: unknown } };
  return body.DefaultAction?.Block !== undefined;
}
