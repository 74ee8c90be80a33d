import { badRequest } from './errors.ts';
import type { FaultRule, OperationKind } from './types.ts';

const operations = new Set(['read', 'write', 'batch', 'query', 'changefeed', 'any']);
const statuses = new Set([429, 503, 410, 408, 400]);

export function parseFaultRule(raw: unknown): FaultRule {
  const rule = raw as Partial<FaultRule> | null;
  if (!rule || typeof rule !== 'object') throw badRequest('A fault rule must be a JSON object.');
  if (!operations.has(rule.operation as string)) {
    throw badRequest('"operation" must be one of read, write, batch, query, changefeed, any.');
  }
  if (rule.status !== undefined && !statuses.has(rule.status))
    throw badRequest('"status" must be 429, 503, 410, 408 or 400.');
  if (rule.status === 400 && rule.operation !== 'query') throw badRequest('"status" 400 applies to queries only.');
  if (rule.status === undefined && rule.latencyMs === undefined && !rule.drop) {
    throw badRequest('A fault rule needs "status", "latencyMs" or "drop".');
  }
  for (const field of ['count', 'probability', 'retryAfterMs', 'latencyMs'] as const) {
    const value = rule[field];
    if (value !== undefined && (typeof value !== 'number' || value < 0 || !Number.isFinite(value))) {
      throw badRequest(`"${field}" must be a non-negative number.`);
    }
  }
  if (rule.probability !== undefined && rule.probability > 1) throw badRequest('"probability" must be within [0, 1].');
  return rule as FaultRule;
}

/** Active fault rules; the first matching rule that fires decides what happens to a request. */
export class FaultInjector {
  private rules: { rule: FaultRule; remaining: number }[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ rule: parseFaultRule(rule), remaining: rule.count ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  /** The rule that fires for a request of this kind, if any (consuming one of its `count`). */
  take(kind: OperationKind): FaultRule | undefined {
    if (kind === 'metadata' || this.rules.length === 0) return undefined;
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.operation !== 'any' && rule.operation !== kind) continue;
      if (entry.remaining <= 0) continue;
      if (rule.probability !== undefined && Math.random() >= rule.probability) continue;
      entry.remaining--;
      this.rules = this.rules.filter((candidate) => candidate.remaining > 0);
      return rule;
    }
    return undefined;
  }
}
