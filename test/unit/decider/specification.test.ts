import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { DeciderSpecification, defineDecider, defineResultDecider } from '../../../src/decider/index.ts';

type Event = { type: 'Added'; data: { sku: string } } | { type: 'Removed'; data: { sku: string } };
type Command = { type: 'Add'; sku: string } | { type: 'Remove'; sku: string };
type State = readonly string[];

class NotInCart extends Error {}

const cart = defineDecider<Command, Event, State>({
  initial: [],
  evolve: (state, event) =>
    event.type === 'Added' ? [...state, event.data.sku] : state.filter((sku) => sku !== event.data.sku),
  decide: (command, state) => {
    if (command.type === 'Add')
      return state.includes(command.sku) ? [] : [{ type: 'Added', data: { sku: command.sku } }];
    if (!state.includes(command.sku)) throw new NotInCart(`${command.sku} is not in the cart`);
    return [{ type: 'Removed', data: { sku: command.sku } }];
  },
});

const spec = DeciderSpecification.for(cart);

describe('the given/when/then decider specification', () => {
  it('passes when the decision emits the expected events', () => {
    spec
      .given([])
      .when({ type: 'Add', sku: 'a' })
      .then([{ type: 'Added', data: { sku: 'a' } }]);
  });

  it('passes for an idempotent command that emits nothing', () => {
    spec
      .given([{ type: 'Added', data: { sku: 'a' } }])
      .when({ type: 'Add', sku: 'a' })
      .thenNothingHappens();
  });

  it('checks the rejection type and message of a refused command', () => {
    spec.given([]).when({ type: 'Remove', sku: 'b' }).thenThrows(NotInCart, 'b is not in the cart');
  });

  it('checks the state after the decision', () => {
    spec
      .given([{ type: 'Added', data: { sku: 'a' } }])
      .when({ type: 'Add', sku: 'b' })
      .thenState(['a', 'b']);
  });

  it('fails with an assertion error when the events differ', () => {
    const wrong = () => spec.given([]).when({ type: 'Add', sku: 'a' }).then([]);
    expect(wrong).toThrow(AssertionError);
  });

  it('fails when a rejection was expected but the command was accepted', () => {
    expect(() => spec.given([]).when({ type: 'Add', sku: 'a' }).thenThrows()).toThrow(
      /expected the command to be rejected/,
    );
  });

  it('fails when events were expected but the command was rejected', () => {
    expect(() => spec.given([]).when({ type: 'Remove', sku: 'a' }).then([])).toThrow(/but it threw/);
  });

  it('checks the result of a decider that returns one', () => {
    const counting = defineResultDecider<Command, Event, State, number>({
      ...cart,
      decide: (command, state) => {
        const events = cart.decide(command, state);
        return [state.length + events.length, events];
      },
    });
    const results = DeciderSpecification.for(counting);
    results
      .given([{ type: 'Added', data: { sku: 'a' } }])
      .when({ type: 'Add', sku: 'b' })
      .thenResult(2);
    results
      .given([])
      .when({ type: 'Add', sku: 'b' })
      .then([{ type: 'Added', data: { sku: 'b' } }]);
  });
});
