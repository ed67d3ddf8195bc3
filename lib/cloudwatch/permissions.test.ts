import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The optional MonitoringReadOnly statement of docs/iam-policy.json holds
// exactly the CloudWatch calls lib/cloudwatch makes: a call added without its
// permission would fail for every operator who followed the docs, and the
// statement grants reads only.
const dir = path.join(process.cwd(), 'lib/cloudwatch');
const sources = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));

function callsInSource(): string[] {
  const ops = new Set<string>();
  for (const source of sources) {
    const imported = [...source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-cloudwatch'/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim()));
    for (const name of imported) {
      const op = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
      if (op && source.includes(`${name}(`)) ops.add(`cloudwatch:${op}`);
    }
  }
  return [...ops].sort();
}

describe("Berth's CloudWatch permissions", () => {
  const policy = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'docs/iam-policy.json'), 'utf8')) as { Statement: { Sid: string; Action: string[] }[] };
  const actions = policy.Statement.find((s) => s.Sid === 'MonitoringReadOnly')?.Action ?? [];

  it('are exactly the calls lib/cloudwatch makes, all reads', () => {
    expect(callsInSource()).toEqual(['cloudwatch:GetMetricData']);
    expect([...actions].sort()).toEqual(callsInSource());
    for (const a of actions) expect(a).toMatch(/^cloudwatch:(Get|List|Describe)/);
  });
});
