// Loaded with `node --import` before Next.js's standalone server starts
// (scripts/start.mjs, the Dockerfile). Route handlers and server actions in
// Next.js see headers, never the socket, so this copies each request's TCP
// peer address into a header that only Berth writes: any value a client sent
// under that name is replaced. lib/auth/client-address.ts reads it (and says
// why the client's own X-Forwarded-For cannot be trusted).
import http from 'node:http';
import https from 'node:https';
import './admission.mjs';
import './closed-output.mjs';

const PEER_HEADER = 'x-berth-peer-address'; // PEER_HEADER in lib/auth/client-address.ts

for (const Server of [http.Server, https.Server]) {
  const emit = Server.prototype.emit;
  Server.prototype.emit = function emitWithPeer(event, req, ...rest) {
    if (event === 'request' && req && req.headers) {
      req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? '';
    }
    return emit.call(this, event, req, ...rest);
  };
}
