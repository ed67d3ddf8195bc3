import type { AwsProblem } from '@/lib/aws/errors';
import { Alert } from './alert';

/** An AWS refusal, as a sentence, with AWS's code and request id small for support. */
export function AwsProblemAlert({ problem }: { problem: AwsProblem }) {
  return (
    <Alert tone="error" title={problem.title}>
      <p>{problem.message}</p>
      {problem.code || problem.requestId ? (
        <p className="mt-1 font-mono text-xs opacity-70">
          {problem.code}
          {problem.requestId ? ` · request ${problem.requestId}` : ''}
        </p>
      ) : null}
    </Alert>
  );
}
