import { parseArgs } from 'node:util';
import { startEmulator, type RunningEmulator } from './server';

const USAGE = `Usage: tsx emulator/cli.ts [options]

Runs Berth's local AWS emulator (ECR, S3, CloudFront, WAFv2, IAM, STS) on one port.

Options:
  --port <n>             Port to listen on; 0 picks a free one (default 4566, env BERTH_EMULATOR_PORT)
  --host <addr>          Address to bind (default 127.0.0.1)
  --data <dir>           Data folder (default .data/emulator, env BERTH_EMULATOR_DATA)
  --no-seed              Do not create the demo repositories and buckets on first start
  --deploy-delay-ms <n>  How long a CloudFront change stays InProgress (default 3000)
  --scan-delay-ms <n>    How long an ECR image scan stays IN_PROGRESS (default 1500)
  --quiet                Do not log each request to stderr
  --help                 Show this help

Fault rules may be given as a JSON array in BERTH_EMULATOR_FAULTS; BERTH_EMULATOR_CLOCK_OFFSET_MS
shifts the emulator's clock (tests; also PUT /_emulator/clock).
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function intOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) fail(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        'no-seed': { type: 'boolean' },
        'deploy-delay-ms': { type: 'string' },
        'scan-delay-ms': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }

  const port = intOption('port', values.port ?? process.env.BERTH_EMULATOR_PORT, 4566);
  if (port > 65535) fail('--port must be at most 65535');
  const host = values.host ?? '127.0.0.1';
  const dataDir = values.data ?? process.env.BERTH_EMULATOR_DATA ?? '.data/emulator';
  const deployDelayMs = intOption('deploy-delay-ms', values['deploy-delay-ms'], 3000);
  const scanDelayMs = intOption('scan-delay-ms', values['scan-delay-ms'], 1500);
  const quiet = values.quiet ?? false;

  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({
      port,
      host,
      dataDir,
      seed: !values['no-seed'],
      deployDelayMs,
      scanDelayMs,
      log: quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
    });
  } catch (err) {
    process.stderr.write(`Berth emulator failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  }

  // Tests and the demo script wait for exactly this line.
  process.stdout.write(`Berth emulator ready at ${emulator.url}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!quiet) process.stderr.write(`${signal}: closing\n`);
    emulator
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        process.stderr.write(`error while closing: ${String(err)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // A bug reached by some request must not take down every other client's session.
  process.on('uncaughtException', (err) => process.stderr.write(`uncaught: ${err.stack ?? err.message}\n`));
  process.on('unhandledRejection', (err) => process.stderr.write(`unhandled rejection: ${String(err)}\n`));
}

void main();
