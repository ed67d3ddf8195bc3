import Link from 'next/link';
import type { AwsProblem } from '@/lib/aws/errors';
import { Alert } from './alert';

/** An AWS refusal, as a sentence, with AWS's code and request id small for support. */
export function AwsProblemAlert({ problem }: { problem: AwsProblem }) {
  return (
    <Alert tone="error" title={problem.title}>
      <p>{problem.message}</p>
      {problem.missingAction ? (
        // The refused action, carried to "Why was this denied?", where the identity Berth runs as can be picked.
        <p className="mt-1">
          <Link className="font-medium underline" href={`/access/explain?${new URLSearchParams({ action: problem.missingAction })}`}>
            Why was this denied? →
          </Link>
        </p>
      ) : null}
      {problem.code || problem.requestId ? (
        <p className="mt-1 font-mono text-xs opacity-70">
          {problem.code}
          {problem.requestId ? ` · request ${problem.requestId}` : ''}
        </p>
      ) : null}
    </Alert>
  );
}
