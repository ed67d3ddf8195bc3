import vm from 'node:vm';

/**
 * Runs a CloudFront function for TestFunction. This is an approximation of
 * CloudFront's own JavaScript runtime, not a copy of it: the code runs in a
 * fresh Node `vm` context with nothing in it but `console.log` (no `require`,
 * no network, no timers, no `eval` of strings), under a wall-clock limit.
 * CloudFront's cloudfront-js-1.0 runtime is ES 5.1 with some later features
 * and cloudfront-js-2.0 adds more (async/await among them); Node runs both
 * dialects, so code CloudFront would reject for using a newer feature may
 * pass here. The `cloudfront` helper module of 2.0 (key value stores, origin
 * selection) is not provided.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-javascript-runtime-features.html
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/test-function.html
 */

/**
 * CloudFront allows a function well under a millisecond of compute;
 * ComputeUtilization is the share of that budget used. A Node vm on a busy
 * machine is far slower than CloudFront's runtime, so we measure against a
 * looser nominal budget and never fail a function for it; the hard stop is
 * the wall-clock limit below, which only catches runaway code.
 */
const NOMINAL_BUDGET_MS = 5;
const WALL_CLOCK_LIMIT_MS = 1_000;

export interface FunctionRun {
  output: string;
  errorMessage: string;
  logs: string[];
  computeUtilization: string;
}

/**
 * Defined inside the context, so the function's code touches no object of the
 * emulator's own realm (a host function's `constructor` would be the host's
 * `Function`, and with it the way out). `vm` is still not a security boundary;
 * the emulator is a development tool that runs code its caller gave it.
 */
const PRELUDE = `
  var __logs = [];
  var console = {
    log: function () {
      var parts = [];
      for (var i = 0; i < arguments.length; i++) {
        var a = arguments[i];
        if (typeof a === 'string') { parts.push(a); continue; }
        try { var j = JSON.stringify(a); parts.push(j === undefined ? String(a) : j); } catch (e) { parts.push(String(a)); }
      }
      __logs.push(parts.join(' '));
    }
  };`;

/** Compiles without running; throws a SyntaxError for code CloudFront would not save. */
export function checkSyntax(code: string): void {
  new vm.Script(code, { filename: 'function.js' });
}

export function runFunction(code: string, eventJson: string): FunctionRun {
  // A global with no prototype of the host's: nothing reachable from it leads back to this process.
  const sandbox = Object.create(null) as Record<string, unknown>;
  sandbox.__eventJson = eventJson;
  const context = vm.createContext(sandbox, {
    name: 'cloudfront-function',
    codeGeneration: { strings: false, wasm: false },
    // Promise callbacks run inside each evaluation, under its timeout, so an async handler settles before we read it.
    microtaskMode: 'afterEvaluate',
  });
  let logs: string[] = [];
  const readLogs = () => {
    try {
      const raw: unknown = JSON.parse(vm.runInContext('JSON.stringify(__logs)', context, { timeout: 100 }) as string);
      if (Array.isArray(raw)) logs = raw.map(String);
    } catch {
      // The function replaced __logs with something else: no logs, as CloudFront would keep none it cannot read.
    }
  };
  new vm.Script(PRELUDE, { filename: 'prelude.js' }).runInContext(context);
  const started = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  const utilization = (ms: number) => String(Math.min(100, Math.max(1, Math.round((ms / NOMINAL_BUDGET_MS) * 100))));
  try {
    new vm.Script(code, { filename: 'function.js' }).runInContext(context, { timeout: WALL_CLOCK_LIMIT_MS });
    new vm.Script(
      `(function () {
         if (typeof handler !== 'function') { globalThis.__noHandler = true; return; }
         var result = handler(JSON.parse(__eventJson));
         Promise.resolve(result).then(
           function (value) {
             var key = value && typeof value === 'object' && 'statusCode' in value ? 'response' : 'request';
             var out = {};
             out[key] = value;
             globalThis.__output = JSON.stringify(out);
           },
           function (err) { globalThis.__error = String(err && err.stack ? err.message : err); }
         );
       })();`,
      { filename: 'test-harness.js' },
    ).runInContext(context, { timeout: WALL_CLOCK_LIMIT_MS });
    const ms = elapsedMs();
    readLogs();
    if (sandbox.__noHandler === true) {
      return { output: '', errorMessage: 'The function code does not define a function named handler.', logs, computeUtilization: utilization(ms) };
    }
    if (typeof sandbox.__error === 'string') {
      return { output: '', errorMessage: `The function failed: ${sandbox.__error}`, logs, computeUtilization: utilization(ms) };
    }
    if (typeof sandbox.__output !== 'string') {
      return { output: '', errorMessage: 'The function did not return a request or response object.', logs, computeUtilization: utilization(ms) };
    }
    return { output: sandbox.__output, errorMessage: '', logs, computeUtilization: utilization(ms) };
  } catch (err) {
    readLogs();
    const e = err as { code?: string; message?: string };
    if (e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      return { output: '', errorMessage: 'The function exceeded the maximum allowed compute time.', logs, computeUtilization: '100' };
    }
    return { output: '', errorMessage: `The function failed: ${e.message ?? String(err)}`, logs, computeUtilization: utilization(elapsedMs()) };
  }
}
