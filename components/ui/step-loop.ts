'use client';

import { useEffect, useRef, useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/auth/action';

export type LoopPhase = 'idle' | 'running' | 'stopped' | 'done';

/**
 * Drives a long job as a loop of small server-action calls from the browser,
 * so progress shows after every step and a failure stops it exactly there.
 * `onStep` returns true when the job is finished. Leaving the page, or
 * `stop()`, ends the loop after the step in flight.
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
        const result = await call();
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
