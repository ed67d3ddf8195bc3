// Loaded with `node --import` before Next.js's standalone server starts
// (through scripts/peer-address.mjs, which imports it). Bounds how many
// requests the server renders at once, and queues the rest in arrival order.
//
// Why: Node renders on one thread. With 50 viewers clicking, letting every
// request in at once interleaves 50 renders: each takes 50 times its own CPU
// time to finish, so everything a render allocates lives long enough to be
// promoted to the old generation, and the heap (and RSS) grows with the number
// of requests in flight. Letting a few in at a time finishes each render in
// its own few milliseconds: the same pages a second, shorter and more even
// waits, and garbage that dies young. Queued requests wait on the socket,
// costing nothing but their buffered headers.
//
// What is not counted: static files (`/_next/static/…`, `/favicon.ico`), the
// health check, and object downloads and uploads (`/s3/<bucket>/object`),
// which stream for as long as the bytes take and render nothing.
//
// BERTH_MAX_RENDERS sets the bound (default 8; 0 turns it off).
// BERTH_MAX_QUEUED bounds the queue (default 1,000); beyond it a request gets
// 503 with Retry-After, which is better than an unbounded wait.
import http from 'node:http';
import https from 'node:https';

const limit = intFromEnv('BERTH_MAX_RENDERS', 8);
const maxQueued = intFromEnv('BERTH_MAX_QUEUED', 1000);

function intFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${name} must be a whole number ≥ 0, not "${raw}"`);
    process.exit(1);
  }
  return n;
}

const UNCOUNTED = /^\/(?:_next\/static\/|favicon\.ico(?:$|\?)|api\/health(?:$|\?)|s3\/[^/?]+\/object(?:$|\?))/;

let active = 0;
/** @type {Array<() => void>} */
const queue = [];

function release() {
  active--;
  while (queue.length > 0 && active < limit) queue.shift()();
}

if (limit > 0) {
  for (const Server of [http.Server, https.Server]) {
    const emit = Server.prototype.emit;
    Server.prototype.emit = function emitAdmitted(event, req, res, ...rest) {
      if (event !== 'request' || !req || !res || UNCOUNTED.test(req.url ?? '/')) return emit.call(this, event, req, res, ...rest);
      const start = () => {
        // A client that gave up while queued has nothing to render for.
        if (req.socket?.destroyed) return;
        active++;
        res.once('close', release);
        emit.call(this, event, req, res, ...rest);
      };
      if (active < limit) {
        start();
        return true;
      }
      if (queue.length >= maxQueued) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
        res.end('Berth is busy; try again in a moment.\n');
        return true;
      }
      queue.push(start);
      return true;
    };
  }
}
