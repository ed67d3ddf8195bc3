// Loaded by the server's preload (peer-address.mjs). When whatever reads
// Berth's output goes away (a log collector restarts, `npm start | tee log`
// loses its tee), the next write to stdout or stderr fails with EPIPE. Node
// reports that as an 'error' event on the stream, and with no listener it
// becomes an uncaught exception; Next.js logs uncaught exceptions to stderr,
// which fails the same way, and the server spun at 100% CPU in that loop and
// answered nothing, not even SIGTERM. Here a closed output is dropped
// quietly: the server keeps serving, and it says so once on the other
// stream if that one still works.
const streams = [
  ['stdout', process.stdout],
  ['stderr', process.stderr],
];

for (const [name, stream] of streams) {
  let noted = false;
  stream.on('error', (err) => {
    const code = /** @type {NodeJS.ErrnoException} */ (err).code;
    if (code !== 'EPIPE' && code !== 'ERR_STREAM_DESTROYED' && code !== 'ECONNRESET') throw err;
    if (noted) return;
    noted = true;
    const other = name === 'stdout' ? process.stderr : process.stdout;
    if (!other.destroyed && other.writable) other.write(`Berth's ${name} was closed by its reader (${code}); what Berth writes there is dropped from now on.\n`);
  });
}
