import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/iam-policy.json is what an operator gives Berth's identity. Every IAM
// call the Access section makes is in its AccessSectionReadOnly statement,
// read-only, and nothing else is: a call added here without the permission
// would fail for every operator who followed the docs.
const dir = path.join(process.cwd(), 'lib/iam');
const source = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
  .join('\n');

function callsInSource(): string[] {
  const commands = [...source.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]!);
  const paginated = [...source.matchAll(/paginate(\w+)\(/g)].map((m) => m[1]!);
  return [...new Set([...commands, ...paginated])].map((op) => `iam:${op}`).sort();
}

describe("the Access section's IAM permissions", () => {
  const policy = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'docs/iam-policy.json'), 'utf8')) as { Statement: { Sid: string; Action: string[] }[] };
  const statement = policy.Statement.find((s) => s.Sid === 'AccessSectionReadOnly');

  it('are exactly the calls lib/iam makes', () => {
    expect(callsInSource()).toContain('iam:GetAccountAuthorizationDetails');
    expect([...(statement?.Action ?? [])].sort()).toEqual(callsInSource());
  });

  it('only read', () => {
    for (const action of statement?.Action ?? []) expect(action).toMatch(/^iam:(Get|List)/);
  });
});
