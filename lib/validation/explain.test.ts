import { describe, expect, it } from 'vitest';
import { applyFixSchema } from './explain';

const base = {
  target: 'user',
  principal: 'arn:aws:iam::123456789012:user/ci',
  action: 'ecr:InitiateLayerUpload',
  resource: 'arn:aws:ecr:us-east-1:123456789012:repository/team/api',
  grant: ['ecr:InitiateLayerUpload', 'ecr:PutImage'],
  withLogin: 'on',
};

describe('applyFixSchema', () => {
  it('takes a user inline fix from a form', () => {
    const r = applyFixSchema.safeParse(base);
    expect(r.success && r.data).toMatchObject({ target: 'user', withLogin: true, grant: ['ecr:InitiateLayerUpload', 'ecr:PutImage'] });
  });
  it('takes one grant as a list', () => {
    const r = applyFixSchema.safeParse({ ...base, grant: 'ecr:PutImage' });
    expect(r.success && r.data.grant).toEqual(['ecr:PutImage']);
  });
  it('needs a base hash for a resource policy, and a group name for a group', () => {
    expect(applyFixSchema.safeParse({ ...base, target: 'repository' }).success).toBe(false);
    expect(applyFixSchema.safeParse({ ...base, target: 'repository', baseHash: 'a'.repeat(32) }).success).toBe(true);
    expect(applyFixSchema.safeParse({ ...base, target: 'group' }).success).toBe(false);
    expect(applyFixSchema.safeParse({ ...base, target: 'group', group: 'devs' }).success).toBe(true);
  });
  it('refuses a role target for a user, wildcards in actions, other resources and nothing to grant', () => {
    expect(applyFixSchema.safeParse({ ...base, target: 'role' }).success).toBe(false);
    expect(applyFixSchema.safeParse({ ...base, grant: ['ecr:*'] }).success).toBe(false);
    expect(applyFixSchema.safeParse({ ...base, resource: 'arn:aws:iam::123456789012:user/x' }).success).toBe(false);
    expect(applyFixSchema.safeParse({ ...base, grant: [] }).success).toBe(false);
    expect(applyFixSchema.safeParse({ ...base, target: 'bucket', baseHash: 'a'.repeat(32) }).success).toBe(false);
  });
  it('takes an assumed role only as its role ARN', () => {
    expect(applyFixSchema.safeParse({ ...base, target: 'role', principal: 'arn:aws:sts::123456789012:assumed-role/r/s' }).success).toBe(false);
    expect(applyFixSchema.safeParse({ ...base, target: 'role', principal: 'arn:aws:iam::123456789012:role/service-role/r' }).success).toBe(true);
  });
});
