import { describe, expect, it } from 'vitest';
import { foldDiff, lineDiff } from './diff';

describe('lineDiff', () => {
  it('marks added and removed lines and keeps the common ones in order', () => {
    expect(lineDiff('a\nb\nc', 'a\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'remove', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'add', text: 'd' },
    ]);
  });
  it('treats an empty document as no lines', () => {
    expect(lineDiff('', 'x\ny')).toEqual([{ kind: 'add', text: 'x' }, { kind: 'add', text: 'y' }]);
    expect(lineDiff('x', '')).toEqual([{ kind: 'remove', text: 'x' }]);
  });
});

describe('foldDiff', () => {
  it('folds unchanged runs longer than the context around changes', () => {
    const before = Array.from({ length: 10 }, (_, i) => `l${i}`).join('\n');
    const after = `${before}\nnew`;
    expect(foldDiff(lineDiff(before, after), 2)).toEqual([
      { kind: 'skip', count: 8 },
      { kind: 'same', text: 'l8' },
      { kind: 'same', text: 'l9' },
      { kind: 'add', text: 'new' },
    ]);
  });
});
