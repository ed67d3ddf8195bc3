import { isValidElement, Suspense, type ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { suspenseIfSlow, within } from './suspense-if-slow';

const never = new Promise<string>(() => {});

describe('within', () => {
  it('gives the value of a promise that settles in time', async () => {
    expect(await within(Promise.resolve(42), 1_000)).toEqual({ value: 42 });
  });

  it('gives undefined for one that does not, and leaves it running', async () => {
    let resolve!: (v: string) => void;
    const slow = new Promise<string>((r) => (resolve = r));
    expect(await within(slow, 1)).toBeUndefined();
    resolve('later');
    expect(await slow).toBe('later');
  });

  it('passes on an error that comes in time', async () => {
    await expect(within(Promise.reject(new Error('refused')), 1_000)).rejects.toThrow('refused');
  });
});

describe('suspenseIfSlow', () => {
  type Boundary = ReactElement<{ fallback: unknown; children: unknown }>;

  it('renders ready content in place, with no boundary and so no skeleton', async () => {
    expect(await suspenseIfSlow(Promise.resolve('rows'), 'skeleton', { ms: 1_000 })).toBe('rows');
  });

  it('keeps ready content inside a boundary, which it does not suspend, when asked to keep state', async () => {
    const out = (await suspenseIfSlow(Promise.resolve('form'), 'skeleton', { ms: 1_000, keepState: true })) as Boundary;
    expect(out.type).toBe(Suspense);
    expect(out.props.children).toBe('form');
  });

  it('streams content that is not ready into a boundary, with the skeleton meanwhile', async () => {
    const out = (await suspenseIfSlow(never, 'skeleton', { ms: 1, key: 'view' })) as Boundary;
    expect(isValidElement(out)).toBe(true);
    expect(out.type).toBe(Suspense);
    expect(out.props.fallback).toBe('skeleton');
    expect(out.key).toBe('view');
    // An async component that awaits the content: it suspends until the read is done.
    const streamed = out.props.children as ReactElement<{ content: unknown }>;
    expect(typeof streamed.type).toBe('function');
    expect(streamed.props.content).toBe(never);
  });
});
