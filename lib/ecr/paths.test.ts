import { describe, expect, it } from 'vitest';
import { ecrPaths, parseEcrPath } from './paths';

const d = `sha256:${'c'.repeat(64)}`;
describe('ECR paths', () => {
  it('round-trips repositories and images, including names with slashes or "images" in them', () => {
    expect(parseEcrPath(ecrPaths.repository('team/api').split('/').slice(2))).toEqual({ repository: 'team/api', digest: null });
    expect(parseEcrPath(ecrPaths.image('team/api', d).split('/').slice(2))).toEqual({ repository: 'team/api', digest: d });
    expect(parseEcrPath(['team', 'images'])).toEqual({ repository: 'team/images', digest: null });
    expect(parseEcrPath(['images', 'images', encodeURIComponent(d)])).toEqual({ repository: 'images', digest: d });
  });
});
