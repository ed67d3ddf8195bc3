'use client';

import { unstable_rethrow } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/auth/action';

export type LoopPhase = 'idle' | 'running' | 'stopped' | 'done';

/**
 * What the runner says when a step call never got an answer (the fetch failed,
 * or Berth restarted and the call died with it). The step in flight may or may
 * not have run on the server; every runner's steps read AWS's state afresh, so
 * Resume is safe either way.
 */
export const DROPPED_CALL = 'Berth did not answer (the network dropped, or Berth restarted), so the step in progress may or may not have run; everything listed above is done.';

/**
 * Drives a long job as a loop of small server-action calls from the browser,
 * so progress shows after every step and a failure stops it exactly there.
 * `onStep` returns true when the job is finished. Leaving the page, or
 * `stop()`, ends the loop after the step in flight. A call that fails to reach
 * Berth stops the loop like a refused step, so the runner keeps its log and
 * offers Resume instead of the page going to its error screen.
 */
export function useStepLoop() {
  const [phase, setPhase] = useState<LoopPhase>('idle');
  const [error, setError] = useState<string | null>(null);
  const [, startTransition] = useTransition();
  const halted = useRef(false);
  useEffect(
    () => () => {
      halted.current = true;
    },
    [],
  );

  function run<S>(call: () => Promise<ActionResult<S>>, onStep: (step: S) => boolean | Promise<boolean>, field?: string) {
    halted.current = false;
    setPhase('running');
    setError(null);
    startTransition(async () => {
      while (!halted.current) {
        let result: ActionResult<S>;
        try {
          result = await call();
        } catch (thrown) {
          // A redirect or an auth interrupt (signed out meanwhile) still goes where Next sends it.
          unstable_rethrow(thrown);
          setError(DROPPED_CALL);
          setPhase('stopped');
          return;
        }
        if (!result.ok) {
          setError((field ? result.fieldErrors?.[field]?.[0] : undefined) ?? result.message);
          setPhase('stopped');
          return;
        }
        if (await onStep(result.data)) {
          setPhase('done');
          return;
        }
      }
      setError('Stopped as asked.');
      setPhase('stopped');
    });
  }

  return { phase, error, run, stop: () => (halted.current = true) };
}
