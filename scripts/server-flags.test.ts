import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverNodeArgs, serverNodeFlags } from './server-flags.mjs';

describe('the production server’s Node flags', () => {
  it('caps the heap at 1 GiB and turns on the async context frame on Node 22.7 to 23', () => {
    expect(serverNodeFlags({}, '22.23.3')).toEqual(['--max-old-space-size=1024', '--experimental-async-context-frame']);
    expect(serverNodeFlags({}, '23.1.0')).toEqual(['--max-old-space-size=1024', '--experimental-async-context-frame']);
    // Before 22.7 the flag does not exist (node would refuse to start); from 24 it is the default.
    expect(serverNodeFlags({}, '22.6.0')).toEqual(['--max-old-space-size=1024']);
    expect(serverNodeFlags({}, '20.19.0')).toEqual(['--max-old-space-size=1024']);
    expect(serverNodeFlags({}, '24.2.0')).toEqual(['--max-old-space-size=1024']);
  });

  it('leaves a flag the operator set in NODE_OPTIONS to the operator', () => {
    expect(serverNodeFlags({ NODE_OPTIONS: '--max-old-space-size=4096' }, '22.23.3')).toEqual(['--experimental-async-context-frame']);
    expect(serverNodeFlags({ NODE_OPTIONS: '--max-heap-size=900 --no-experimental-async-context-frame' }, '22.23.3')).toEqual([]);
  });

  it('puts the flags before the preload and the server', () => {
    expect(serverNodeArgs('file:///p.mjs', '/s/server.js', {}, '22.23.3')).toEqual([
      '--max-old-space-size=1024',
      '--experimental-async-context-frame',
      '--import',
      'file:///p.mjs',
      '/s/server.js',
    ]);
  });

  it('are what this Node accepts, and the heap limit takes effect', () => {
    const flags = serverNodeFlags({}, process.versions.node);
    const out = execFileSync(process.execPath, [...flags, '-e', 'console.log(require("node:v8").getHeapStatistics().heap_size_limit)'], { encoding: 'utf8' });
    const limitMiB = Number(out.trim()) / 1024 ** 2;
    // The limit is the old space plus the young generation's semi-spaces.
    expect(limitMiB).toBeGreaterThanOrEqual(1024);
    expect(limitMiB).toBeLessThan(1200);
  });

  it('are the ones the Dockerfile sets for its Node 22 image', () => {
    const dockerfile = fs.readFileSync(path.join(__dirname, '..', 'Dockerfile'), 'utf8');
    const from = [...dockerfile.matchAll(/^FROM node:(\d+)/gm)].map((m) => m[1]);
    expect(new Set(from)).toEqual(new Set(['22']));
    const env = dockerfile.match(/^ENV NODE_OPTIONS="([^"]*)"$/m);
    expect(env?.[1]).toBe(serverNodeFlags({}, '22.7.0').join(' '));
  });
});
