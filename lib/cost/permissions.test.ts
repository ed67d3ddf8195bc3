import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/iam-policy.json's optional CostReadOnly statement holds exactly the
// billing calls lib/cost makes: Cost Explorer and the Price List, both read-only.
// (CloudWatch reads belong with the CloudWatch statement.)

const root = process.cwd();
const policy = JSON.parse(fs.readFileSync(path.join(root, 'docs/iam-policy.json'), 'utf8')) as { Statement: { Sid: string; Action: string | string[] }[] };

describe('the CostReadOnly statement', () => {
  it('grants the one Cost Explorer and the one Price List call lib/cost sends', () => {
    const stmt = policy.Statement.find((s) => s.Sid === 'CostReadOnly');
    expect(stmt?.Action).toEqual(['ce:GetCostAndUsage', 'pricing:GetProducts']);
    const sent = new Set<string>();
    for (const f of fs.readdirSync(path.join(root, 'lib/cost'))) {
      if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
      const text = fs.readFileSync(path.join(root, 'lib/cost', f), 'utf8');
      for (const m of text.matchAll(/import \{([^}]*)\} from '@aws-sdk\/client-(cost-explorer|pricing)'/g)) {
        for (const name of m[1]!.split(',').map((x) => x.trim()).filter((x) => x.endsWith('Command'))) {
          sent.add(`${m[2] === 'pricing' ? 'pricing' : 'ce'}:${name.replace(/Command$/, '')}`);
        }
      }
    }
    expect([...sent].sort()).toEqual(['ce:GetCostAndUsage', 'pricing:GetProducts']);
  });
});
