import { describe, expect, it } from 'vitest';
import { parseAuditParams } from './audit';

const parse = (q: Record<string, string>) => parseAuditParams((k) => q[k]);

describe('audit filters from the URL', () => {
  it('reads people, actions, resources and UTC times', () => {
    const { params, problems } = parse({ person: ' ann@example.com ', action: 's3.bucket.tags', resource: 'arn:aws:s3:::site', from: '2026-12-01', to: '2026-12-01T13:05' });
    expect(problems).toEqual([]);
    expect(params).toEqual({ person: 'ann@example.com', action: 's3.bucket.tags', resource: 'arn:aws:s3:::site', from: Date.UTC(2026, 11, 1), to: Date.UTC(2026, 11, 1, 13, 5) });
  });

  it('honours an explicit offset', () => {
    expect(parse({ from: '2026-12-01T13:00+02:00' }).params.from).toBe(Date.UTC(2026, 11, 1, 11));
  });

  it('leaves out and names what does not parse, keeping the rest', () => {
    const { params, problems } = parse({ person: 'ann@example.com', from: 'yesterday', before: '-3', after: 'x' });
    expect(params).toEqual({ person: 'ann@example.com' });
    expect(problems).toHaveLength(3);
  });

  it('refuses a range that ends before it starts', () => {
    expect(parse({ from: '2026-12-02', to: '2026-12-01' }).problems).toEqual(['to: must be after from.']);
  });

  it('reads cursors as positive whole numbers', () => {
    expect(parse({ before: '1000000' }).params.before).toBe(1_000_000);
    expect(parse({ after: '1.5' }).problems).toHaveLength(1);
  });
});
