import assert from 'node:assert/strict';
import type { Decider, ResultDecider } from './decider.ts';
import { fold } from './decider.ts';

type AnyDecider<C, E, S> = Decider<C, E, S> | ResultDecider<C, E, S, unknown>;

/** What `when` produced: the events and the result, or the error the decision threw. */
type Outcome<E> =
  | { readonly ok: true; readonly events: readonly E[]; readonly result: unknown; readonly state: unknown }
  | { readonly ok: false; readonly error: unknown };

// Events are objects, so a decision that is a pair whose second element is an array is a [result, events] pair.
function isResultPair(value: unknown): value is readonly [unknown, readonly unknown[]] {
  return Array.isArray(value) && value.length === 2 && Array.isArray(value[1]);
}

export interface Then<E, S> {
  /** asserts the decision emitted exactly these events, in order (deep equality) */
  then(expected: readonly E[]): void;
  /** asserts the decision emitted no events (an idempotent or no-op command) */
  thenNothingHappens(): void;
  /** asserts the decision returned this result (result deciders), deep equality */
  thenResult(expected: unknown): void;
  /** asserts the state after folding the emitted events */
  thenState(expected: S): void;
  /**
   * asserts the decision threw: optionally an instance of `errorType`, optionally with a message containing or
   * matching `message`
   */
  thenThrows(errorType?: abstract new (...args: never[]) => unknown, message?: string | RegExp): void;
}

/**
 * Given/when/then tests for deciders:
 * `DeciderSpecification.for(Account.decider).given([opened]).when({ type: 'Withdraw', amount: 5 }).then([withdrawn])`.
 * Assertions throw node's `AssertionError`, which every test runner reports with a diff.
 */
export const DeciderSpecification = {
  for<C, E, S>(decider: AnyDecider<C, E, S>) {
    return {
      given(events: readonly E[]) {
        return {
          when(command: C): Then<E, S> {
            const outcome = run(decider, events, command);
            const succeeded = () => {
              if (!outcome.ok) {
                assert.fail(`expected the command to be accepted, but it threw: ${String(outcome.error)}`);
              }
              return outcome;
            };
            return {
              // biome-ignore lint/suspicious/noThenProperty: the given/when/then vocabulary is the point; the chain is synchronous and never awaited
              then(expected) {
                assert.deepStrictEqual(succeeded().events, expected);
              },
              thenNothingHappens() {
                assert.deepStrictEqual(succeeded().events, []);
              },
              thenResult(expected) {
                assert.deepStrictEqual(succeeded().result, expected);
              },
              thenState(expected) {
                assert.deepStrictEqual(succeeded().state, expected);
              },
              thenThrows(errorType, message) {
                if (outcome.ok) {
                  assert.fail(`expected the command to be rejected, but it emitted ${JSON.stringify(outcome.events)}`);
                }
                if (errorType)
                  assert.ok(
                    outcome.error instanceof errorType,
                    `expected a ${errorType.name}, got ${String(outcome.error)}`,
                  );
                if (message !== undefined) {
                  const text = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
                  if (typeof message === 'string')
                    assert.ok(text.includes(message), `"${text}" does not contain "${message}"`);
                  else assert.match(text, message);
                }
              },
            };
          },
        };
      },
    };
  },
};

function run<C, E, S>(decider: AnyDecider<C, E, S>, given: readonly E[], command: C): Outcome<E> {
  const state = fold(decider.evolve, decider.initial, given);
  let decision: unknown;
  try {
    decision = decider.decide(command, state);
  } catch (error) {
    return { ok: false, error };
  }
  const [result, events] = isResultPair(decision)
    ? [decision[0], decision[1] as readonly E[]]
    : [undefined, decision as readonly E[]];
  return { ok: true, events, result, state: fold(decider.evolve, state, events) };
}
