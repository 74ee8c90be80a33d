import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideLeases, type LeaseView } from '../../../src/feed/index.ts';

type Assignment = Map<string, string | undefined>;

const leaseIds = (count: number) => Array.from({ length: count }, (_, i) => `lease-${String(i).padStart(2, '0')}`);
const instanceIds = (count: number) => Array.from({ length: count }, (_, i) => `instance-${i}`);

const viewOf = (assignment: Assignment): LeaseView[] =>
  [...assignment].map(([id, owner]) => ({ id, owner, expired: false }));

/** One instance's cycle against the shared lease documents; returns how many leases changed hands. */
function cycle(me: string, assignment: Assignment): number {
  const decision = decideLeases(me, viewOf(assignment));
  const taken = [...decision.acquire, ...(decision.steal === undefined ? [] : [decision.steal])];
  for (const id of taken) assignment.set(id, me);
  return taken.length;
}

function shares(assignment: Assignment, instances: readonly string[]): number[] {
  return instances.map((instance) => [...assignment.values()].filter((owner) => owner === instance).length);
}

const scenario = fc
  .record({ leases: fc.integer({ min: 1, max: 24 }), instances: fc.integer({ min: 1, max: 8 }) })
  .chain(({ leases, instances }) =>
    fc.record({
      leases: fc.constant(leaseIds(leases)),
      instances: fc.constant(instanceIds(instances)),
      initialOwners: fc.array(fc.option(fc.integer({ min: 0, max: instances - 1 }), { nil: undefined }), {
        minLength: leases,
        maxLength: leases,
      }),
      order: fc.array(fc.integer({ min: 0, max: instances - 1 }), { minLength: 1, maxLength: 400 }),
    }),
  );

describe('lease balancing', () => {
  it('converges to even shares whatever the start and the order in which instances run their cycles', () => {
    fc.assert(
      fc.property(scenario, ({ leases, instances, initialOwners, order }) => {
        const assignment: Assignment = new Map(
          leases.map((id, i) => [id, initialOwners[i] === undefined ? undefined : instances[initialOwners[i]]]),
        );
        for (const index of order) cycle(instances[index] ?? '', assignment);
        // then round-robin until nobody moves; convergence must come within a bounded number of rounds
        let rounds = 0;
        while (instances.reduce((moved, me) => moved + cycle(me, assignment), 0) > 0) {
          rounds += 1;
          expect(rounds).toBeLessThanOrEqual(leases.length + instances.length);
        }
        expect([...assignment.values()].every((owner) => owner !== undefined)).toBe(true);
        const counts = shares(assignment, instances);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        expect(Math.max(...counts)).toBe(Math.ceil(leases.length / instances.length));
      }),
    );
  });

  it('steals nothing when every instance already holds an even share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 7 }),
        (instanceCount, perInstance, extra) => {
          const instances = instanceIds(instanceCount);
          const leaseCount = instanceCount * perInstance + Math.min(extra, instanceCount - 1);
          const leases = leaseIds(leaseCount);
          // deal leases round-robin: shares differ by at most one
          const assignment: Assignment = new Map(leases.map((id, i) => [id, instances[i % instanceCount]]));
          for (const me of instances)
            expect(decideLeases(me, viewOf(assignment))).toEqual({ acquire: [], steal: undefined });
        },
      ),
    );
  });

  it('never hands a lease back to an instance it was taken from (no thrashing)', () => {
    fc.assert(
      fc.property(scenario, ({ leases, instances, initialOwners }) => {
        const assignment: Assignment = new Map(
          leases.map((id, i) => [id, initialOwners[i] === undefined ? undefined : instances[initialOwners[i]]]),
        );
        const takenFrom = new Map<string, Set<string>>(leases.map((id) => [id, new Set()]));
        for (let round = 0; round < leases.length + instances.length + 2; round += 1) {
          for (const me of instances) {
            const before = new Map(assignment);
            cycle(me, assignment);
            for (const [id, owner] of assignment) {
              const previous = before.get(id);
              if (previous === undefined || previous === owner || owner === undefined) continue;
              expect(takenFrom.get(id)?.has(owner)).toBe(false);
              takenFrom.get(id)?.add(previous);
            }
          }
        }
      }),
    );
  });

  it('takes expired and unowned leases before stealing, up to its target share', () => {
    const leases: LeaseView[] = [
      { id: 'a', owner: 'x', expired: false },
      { id: 'b', owner: 'x', expired: false },
      { id: 'c', owner: 'y', expired: true },
      { id: 'd', owner: undefined, expired: false },
    ];
    const decision = decideLeases('me', leases);
    expect([...decision.acquire].sort()).toEqual(['c', 'd']);
    expect(decision.steal).toBeUndefined();
  });

  it('does not count owners whose leases all expired as active instances', () => {
    const leases: LeaseView[] = ['a', 'b', 'c', 'd'].map((id) => ({ id, owner: 'gone', expired: true }));
    expect(decideLeases('me', leases).acquire).toHaveLength(4);
  });

  it('steals one lease per cycle from the most loaded owner', () => {
    const leases: LeaseView[] = [
      ...['a', 'b', 'c'].map((id) => ({ id, owner: 'busy', expired: false })),
      { id: 'd', owner: 'other', expired: false },
    ];
    expect(decideLeases('me', leases)).toEqual({ acquire: [], steal: 'a' });
  });
});
