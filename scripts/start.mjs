// `npm start`: serves the production build. With `output: 'standalone'` the
// server to run is .next/standalone/server.js, and it expects the static assets
// and public/ beside it (https://nextjs.org/docs/app/api-reference/config/next-config-js/output).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serverNodeArgs } from './server-flags.mjs';

const root = process.cwd();
const standalone = path.join(root, '.next', 'standalone');
const server = path.join(standalone, 'server.js');
if (!fs.existsSync(server)) {
  console.error('No production build found. Run `npm run build` first.');
  process.exit(1);
}
fs.cpSync(path.join(root, '.next', 'static'), path.join(standalone, '.next', 'static'), { recursive: true });
if (fs.existsSync(path.join(root, 'public'))) {
  fs.cpSync(path.join(root, 'public'), path.join(standalone, 'public'), { recursive: true });
}

// server.js changes into its own folder, so relative paths must be fixed here.
const env = { ...process.env, BERTH_DATA_DIR: path.resolve(process.env.BERTH_DATA_DIR ?? '.data/berth') };
env.HOSTNAME ??= '0.0.0.0';
env.PORT ??= '3000';

// The preload gives the app each request's socket address (see the file);
// server-flags.mjs says which Node flags the server runs with, and why.
const preload = fileURLToPath(new URL('./peer-address.mjs', import.meta.url));
const child = spawn(process.execPath, serverNodeArgs(pathToFileURL(preload).href, server, env), { env, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
