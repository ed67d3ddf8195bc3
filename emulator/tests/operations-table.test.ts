import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README, renderReadme } from '../../scripts/emulator-operations';

describe('emulator/README.md', () => {
  it('lists every operation of every emulated model as the emulator serves it (npm run emulator:operations)', () => {
    const current = readFileSync(README, 'utf8');
    expect(current).toContain('<!-- operations:start');
    expect(renderReadme(current)).toBe(current);
  });
});
