import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// scripts/admission.mjs in a real Node process, preloaded as the console's
// start does, in front of a server that takes 300 ms a request and reports
// how many it was handling at once.

const preload = pathToFileURL(path.join(__dirname, 'admission.mjs')).href;
const SERVER = `
  const http = require('node:http');
  let now = 0, most = 0;
  const server = http.createServer((req, res) => {
    if (req.url === '/most') return res.end(String(most));
    now++; most = Math.max(most, now);
    setTimeout(() => { now--; res.end(req.url); }, 300);
  });
  server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
`;

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

async function start(env: Record<string, string>): Promise<number> {
  child = spawn(process.execPath, ['--import', preload, '-e', SERVER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child!.stdout!.on('data', (d: Buffer) => {
      const m = /port (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
    child!.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

const agent = new http.Agent({ keepAlive: false, maxSockets: 100 });
function get(port: number, p: string): Promise<{ status: number; body: string; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, retryAfter: res.headers['retry-after'] }));
      })
      .on('error', reject);
  });
}

describe('scripts/admission.mjs', () => {
  it('renders at most BERTH_MAX_RENDERS requests at once and answers every one', async () => {
    const port = await start({ BERTH_MAX_RENDERS: '2' });
    const answers = await Promise.all(Array.from({ length: 7 }, (_, i) => get(port, `/page-${i}`)));
    expect(answers.map((a) => a.body)).toEqual(Array.from({ length: 7 }, (_, i) => `/page-${i}`));
    expect((await get(port, '/most')).body).toBe('2');
  });

  it('lets static files, the health check and object transfers past the bound', async () => {
    const port = await start({ BERTH_MAX_RENDERS: '1' });
    const paths = ['/_next/static/chunks/a.js', '/_next/static/chunks/b.js', '/api/health', '/s3/my-bucket/object?key=a'];
    await Promise.all(paths.map((p) => get(port, p)));
    expect(Number((await get(port, '/most')).body)).toBe(paths.length);
  });

  it('turns a request away with 503 and Retry-After when the queue is full', async () => {
    const port = await start({ BERTH_MAX_RENDERS: '1', BERTH_MAX_QUEUED: '2' });
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => get(port, `/page-${i}`)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 503, 503]);
    expect(answers.filter((a) => a.status === 503).every((a) => a.retryAfter === '1')).toBe(true);
  });

  it('is off with 0', async () => {
    const port = await start({ BERTH_MAX_RENDERS: '0' });
    await Promise.all(Array.from({ length: 4 }, (_, i) => get(port, `/page-${i}`)));
    expect((await get(port, '/most')).body).toBe('4');
  });

  it('refuses a setting that is not a whole number, at start', async () => {
    await expect(start({ BERTH_MAX_RENDERS: 'many' })).rejects.toThrow('exited with 1');
  });
});
