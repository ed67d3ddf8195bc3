import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A load balancer small enough to read in one sitting, for the several-instances
// test: requests go to the instances in turn; when one cannot be reached, or
// dies before it has answered, the request goes to the next one. Like a real
// load balancer it sends a request elsewhere when the connection was refused
// (nothing was sent), and otherwise retries only what is safe to send twice
// (GET and HEAD): a POST that a dying instance may have started is answered
// 502, as nginx does by default (proxy_next_upstream without non_idempotent).
// Request bodies are small in the test, so they are held to be sent again.
//
// X-Forwarded-For is passed on as the client wrote it: the test plays the
// outermost proxy and names each client's address there (Berth runs with
// BERTH_TRUSTED_PROXY_HOPS=1), as the e2e suite does.

export interface Served {
  method: string;
  path: string;
  /** Index of the instance that answered, or -1 when none did. */
  by: number;
  /** Instances tried before it that failed. */
  failed: number[];
  /** Of those, the ones that took the request and died before answering (the others refused the connection). */
  lost: number[];
  status: number;
}

export interface RoundRobinProxy {
  url: string;
  /** Every request answered so far, in order of their answers. */
  served: Served[];
  /** How many requests an instance has taken (connected) and not answered yet. */
  inFlight(index: number): number;
  /** Sends requests to this instance first (the others stay as fallbacks); null: in turn again. */
  prefer(index: number | null): void;
  close(): Promise<void>;
}

const RETRYABLE = new Set(['GET', 'HEAD']);

export async function startRoundRobinProxy(upstreams: string[], port = 0): Promise<RoundRobinProxy> {
  let next = 0;
  let preferred: number | null = null;
  const served: Served[] = [];
  const pending = upstreams.map(() => 0);

  const order = (): number[] => {
    const first = preferred ?? next;
    if (preferred === null) next = (next + 1) % upstreams.length;
    return upstreams.map((_, i) => (first + i) % upstreams.length);
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const tries = order();
    const failed: number[] = [];
    const lost: number[] = [];
    for (const i of tries) {
      const target = new URL(upstreams[i]!);
      const outcome = await new Promise<'answered' | 'refused' | 'lost'>((resolve) => {
        const up = http.request(
          // A connection of its own each time (no keep-alive pool), so a refused connection means nothing was sent.
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: req.headers.host }, agent: false },
          (answer) => {
            settle();
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on('end', () => resolve('answered'));
            // Died while answering: what was sent is sent; the client sees a cut answer.
            answer.on('error', () => {
              res.destroy();
              resolve('answered');
            });
            served.push({ method: req.method ?? '', path: req.url ?? '', by: i, failed: [...failed], lost: [...lost], status: answer.statusCode ?? 0 });
          },
        );
        let connected = false;
        const settle = () => {
          if (connected) pending[i]!--;
          connected = false;
        };
        up.on('socket', (socket) => socket.once('connect', () => ((connected = true), pending[i]!++)));
        up.on('error', (e: NodeJS.ErrnoException) => {
          settle();
          resolve(e.code === 'ECONNREFUSED' ? 'refused' : 'lost');
        });
        up.end(body);
      });
      if (outcome === 'answered') return;
      failed.push(i);
      if (outcome === 'lost') lost.push(i);
      if (outcome === 'lost' && !RETRYABLE.has(req.method ?? '')) break;
    }
    served.push({ method: req.method ?? '', path: req.url ?? '', by: -1, failed, lost, status: 502 });
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('No Berth instance answered.');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    inFlight: (index) => pending[index]!,
    prefer: (index) => {
      preferred = index;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
