import { describe, expect, it } from 'vitest';
import { pageNumber, withParams } from './url';

describe('url helpers', () => {
  it('changes one param and keeps the others', () => {
    expect(withParams('/ecr', { region: 'eu-west-1', q: 'web', page: '3' }, { page: 4 })).toBe('/ecr?region=eu-west-1&q=web&page=4');
    expect(withParams('/ecr', { region: 'eu-west-1', page: '3' }, { page: null })).toBe('/ecr?region=eu-west-1');
    expect(withParams('/ecr', {}, {})).toBe('/ecr');
  });
  it('clamps the page number', () => {
    expect(pageNumber({ page: '9' }, 3)).toBe(3);
    expect(pageNumber({ page: '-2' }, 3)).toBe(1);
    expect(pageNumber({ page: 'x' }, 3)).toBe(1);
    expect(pageNumber({}, 0)).toBe(1);
  });
});
