import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/iam-policy.json's optional ActivityReadOnly statement is what the
// Activity tabs need: exactly the CloudTrail calls lib/cloudtrail makes, all
// of them reads. A call added here without its permission would fail for
// every operator who followed the docs.
const dir = path.join(process.cwd(), 'lib/cloudtrail');

function callsInSource(): string[] {
  const ops = new Set<string>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
    const source = fs.readFileSync(path.join(dir, f), 'utf8');
    const imported = [...source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-cloudtrail'/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim()));
    for (const name of imported) {
      const op = /^(\w+)Command$/.exec(name)?.[1];
      if (op && source.includes(`new ${name}(`)) ops.add(`cloudtrail:${op}`);
    }
  }
  return [...ops].sort();
}

describe("Berth's CloudTrail permissions", () => {
  const policy = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'docs/iam-policy.json'), 'utf8')) as { Statement: { Sid: string; Action: string[] }[] };
  const statement = policy.Statement.find((s) => s.Sid === 'ActivityReadOnly');

  it('are exactly the calls lib/cloudtrail makes, and only reads', () => {
    expect(callsInSource()).toContain('cloudtrail:LookupEvents');
    expect([...(statement?.Action ?? [])].sort()).toEqual(callsInSource());
    for (const a of statement?.Action ?? []) expect(a).toMatch(/^cloudtrail:(Lookup|Describe|Get)/);
  });

  it('are asked for nowhere else in the policy', () => {
    const elsewhere = policy.Statement.filter((s) => s.Sid !== 'ActivityReadOnly').flatMap((s) => s.Action).filter((a) => a.startsWith('cloudtrail:'));
    expect(elsewhere).toEqual([]);
  });
});
