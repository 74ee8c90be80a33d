import type { Container } from '@azure/cosmos';
import { StreamName, type TimelineEvent } from '../../src/core/index.ts';
import { createProjection, type Projection } from '../../src/projections/index.ts';
import { type AccountEvent, accountCategory } from '../domain/account/index.ts';
import {
  type BalanceView,
  type EventPosition,
  evolveBalanceView,
  evolveStatementView,
  type StatementView,
} from '../domain/views.ts';
import { accountCodec } from './accounts.ts';

/** Decodes an account stream's events for a view, skipping what is not an account event. */
function* accountEvents(events: readonly TimelineEvent[], stream: string) {
  for (const stored of events) {
    const event = accountCodec.decode(stored, stream);
    if (event === undefined || event.type === 'Snapshotted') continue;
    yield { event: event as AccountEvent, position: stored as EventPosition };
  }
}

function requireView<V>(view: V | undefined, stream: string, name: string): V {
  if (view === undefined) {
    throw new Error(`${name}: stream ${stream} does not start with Opened, so there is no view to update.`);
  }
  return view;
}

/** `account-balance`: one view per account (key = the stream name) with balance, availability and reservations. */
export function balanceProjection(views: Container): Projection<BalanceView> {
  return createProjection<BalanceView>({
    name: 'account-balance',
    version: 1,
    container: views,
    categories: [accountCategory],
    apply(view, events, stream) {
      const accountId = StreamName.id(StreamName.parse(stream));
      let current = view;
      for (const { event } of accountEvents(events, stream)) current = evolveBalanceView(accountId, current, event);
      return requireView(current, stream, 'account-balance');
    },
  });
}

/** `account-statement`: one view per account with its latest booked lines (completed transactions only). */
export function statementProjection(views: Container): Projection<StatementView> {
  return createProjection<StatementView>({
    name: 'account-statement',
    version: 1,
    container: views,
    categories: [accountCategory],
    apply(view, events, stream) {
      const accountId = StreamName.id(StreamName.parse(stream));
      let current = view;
      for (const { event, position } of accountEvents(events, stream)) {
        current = evolveStatementView(accountId, current, event, position);
      }
      return requireView(current, stream, 'account-statement');
    },
  });
}

/** The key of an account's views. */
export const accountViewKey = (accountId: string) => StreamName.create(accountCategory, accountId);
