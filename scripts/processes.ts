// Starting child processes that announce readiness with a line on stdout, and
// stopping them cleanly. Used by the demo and by the test harness.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Started {
  child: ChildProcess;
  match: RegExpMatchArray;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startProcess(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; ready: RegExp; name: string; timeoutMs?: number; echo?: boolean },
): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`${opts.name} did not become ready in time.\n${seen.slice(-2000)}`)), opts.timeoutMs ?? 180_000);
    const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        child.once('exit', () => res());
        child.kill(signal);
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      });
    function finish(err?: Error, match?: RegExpMatchArray) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        child.kill('SIGKILL');
        reject(err);
      } else resolve({ child, match: match!, stop });
    }
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      if (opts.echo) process.stdout.write(text.replace(/^/gm, `[${opts.name}] `).replace(/\[[^\]]+\] $/, ''));
      if (done) return;
      seen += text;
      const m = seen.match(opts.ready);
      if (m) finish(undefined, m);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => finish(new Error(`${opts.name} exited with code ${code} before it was ready.\n${seen.slice(-2000)}`)));
    child.on('error', (e) => finish(e));
  });
}
