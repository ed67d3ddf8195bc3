export type FaultKind = 'throttle' | 'error' | 'delay';

export interface FaultRule {
  /** Service name (`ecr`, `s3`, `sts`, `cloudfront`); absent matches every service. */
  service?: string;
  /** Operation name, or `*` for every operation. */
  operation: string;
  kind: FaultKind;
  /** Probability the rule fires on a matching request, 0..1. */
  rate: number;
  /** For `delay`: how long to wait. */
  delayMs?: number;
  /** For `error` (and `throttle`): override the HTTP status. */
  status?: number;
}

const KINDS: readonly FaultKind[] = ['throttle', 'error', 'delay'];

/** Validates untrusted rules (env, control endpoint); throws with a message naming the bad field. */
export function parseFaultRules(value: unknown): FaultRule[] {
  if (!Array.isArray(value)) throw new Error('fault rules must be a JSON array');
  return value.map((raw, i) => {
    if (!raw || typeof raw !== 'object') throw new Error(`rule ${i}: must be an object`);
    const r = raw as Record<string, unknown>;
    const where = `rule ${i}`;
    if (r.service !== undefined && typeof r.service !== 'string') throw new Error(`${where}: service must be a string`);
    if (typeof r.operation !== 'string' || r.operation === '') throw new Error(`${where}: operation is required`);
    if (typeof r.kind !== 'string' || !KINDS.includes(r.kind as FaultKind))
      throw new Error(`${where}: kind must be one of ${KINDS.join(', ')}`);
    if (typeof r.rate !== 'number' || !(r.rate >= 0 && r.rate <= 1)) throw new Error(`${where}: rate must be 0..1`);
    if (r.delayMs !== undefined && (typeof r.delayMs !== 'number' || r.delayMs < 0 || r.delayMs > 600_000))
      throw new Error(`${where}: delayMs must be 0..600000`);
    if (r.status !== undefined && (typeof r.status !== 'number' || !Number.isInteger(r.status) || r.status < 400 || r.status > 599))
      throw new Error(`${where}: status must be an HTTP error status 400..599`);
    const rule: FaultRule = { operation: r.operation, kind: r.kind as FaultKind, rate: r.rate };
    if (typeof r.service === 'string') rule.service = r.service;
    if (typeof r.delayMs === 'number') rule.delayMs = r.delayMs;
    if (typeof r.status === 'number') rule.status = r.status;
    return rule;
  });
}

export function faultRulesFromEnv(text: string | undefined): FaultRule[] {
  if (!text || text.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('BERTH_EMULATOR_FAULTS is not valid JSON');
  }
  try {
    return parseFaultRules(parsed);
  } catch (err) {
    throw new Error(`BERTH_EMULATOR_FAULTS: ${(err as Error).message}`);
  }
}

export type FaultOutcome = { kind: 'throttle' | 'error'; status?: number } | undefined;

/** Holds the live rule set; the control endpoint swaps it at runtime. */
export class FaultInjector {
  private rules: FaultRule[];

  constructor(rules: FaultRule[] = [], private readonly random: () => number = Math.random) {
    this.rules = [...rules];
  }

  list(): FaultRule[] {
    return [...this.rules];
  }

  replace(rules: FaultRule[]): void {
    this.rules = [...rules];
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * Applies the rules for one request: every firing delay is waited out, then
   * the first firing throttle or error decides the answer.
   */
  async apply(service: string, operation: string): Promise<FaultOutcome> {
    const matching = this.rules.filter(
      (r) => (r.service === undefined || r.service === service) && (r.operation === '*' || r.operation === operation),
    );
    let outcome: FaultOutcome;
    for (const r of matching) {
      if (this.random() >= r.rate) continue;
      if (r.kind === 'delay') {
        await new Promise((res) => setTimeout(res, r.delayMs ?? 1000));
      } else if (!outcome) {
        outcome = r.status === undefined ? { kind: r.kind } : { kind: r.kind, status: r.status };
      }
    }
    return outcome;
  }
}
