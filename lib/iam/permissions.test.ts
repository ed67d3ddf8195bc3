import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/iam-policy.json is what an operator gives Berth's identity. Every IAM
// call lib/iam makes is in one of its three optional IAM statements, and
// nothing else is: a call added here without the permission would fail for
// every operator who followed the docs.
// - AccessSectionReadOnly: the Access pages' reads;
// - AccessExplainReadOnly: "Why was this denied?" (the policy simulator, and
//   reading an inline policy before merging a grant into it);
// - AccessExplainApplyFix: the one-click fix, the only IAM writes Berth makes.
// Only calls of the IAM client count (lib/iam also reads ECR and S3 policies,
// whose permissions are in the ECR and S3 statements).
const dir = path.join(process.cwd(), 'lib/iam');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));

function callsInSource(): string[] {
  const ops = new Set<string>();
  for (const source of files) {
    // What each file imports from the IAM client, e.g. "GetUserPolicyCommand", "paginateGetAccountAuthorizationDetails".
    const imported = [...source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-iam'/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim()));
    for (const name of imported) {
      const command = /^(\w+)Command$/.exec(name);
      const paginated = /^paginate(\w+)$/.exec(name);
      const op = command?.[1] ?? paginated?.[1];
      if (op && (source.includes(`new ${name}(`) || source.includes(`${name}(`))) ops.add(`iam:${op}`);
    }
  }
  return [...ops].sort();
}

describe("Berth's IAM permissions", () => {
  const policy = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'docs/iam-policy.json'), 'utf8')) as { Statement: { Sid: string; Action: string[] }[] };
  const actionsOf = (sid: string) => policy.Statement.find((s) => s.Sid === sid)?.Action ?? [];

  it('are exactly the calls lib/iam makes', () => {
    expect(callsInSource()).toContain('iam:GetAccountAuthorizationDetails');
    expect(callsInSource()).toContain('iam:SimulatePrincipalPolicy');
    const documented = ['AccessSectionReadOnly', 'AccessExplainReadOnly', 'AccessExplainApplyFix'].flatMap(actionsOf);
    expect([...documented].sort()).toEqual(callsInSource());
  });

  it('only read, but for the fix statement, which only writes inline policies', () => {
    for (const action of [...actionsOf('AccessSectionReadOnly'), ...actionsOf('AccessExplainReadOnly')]) expect(action).toMatch(/^iam:(Get|List|Simulate)/);
    expect(actionsOf('AccessExplainApplyFix').length).toBeGreaterThan(0);
    for (const action of actionsOf('AccessExplainApplyFix')) expect(action).toMatch(/^iam:Put(User|Role|Group)Policy$/);
  });
});
