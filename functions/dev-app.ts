import { StreamName } from '../src/core/index.ts';
import { type HostedAppFactory, hostedProjection } from '../src/dev/index.ts';
import type { Projection } from '../src/projections/index.ts';
import { createBankApp } from './app.ts';
import { createStatementLedger } from './bank/statement-ledger.ts';
import { StatementLine } from './bank/statement-lines.ts';

/** The summary contracts the bank publishes: `tributary contracts export` / `check` read them from here. */
export const contracts = [StatementLine];

/**
 * The sample bank as the dev host and the CLI host it (`tributary.config.json` names this module's build): the same
 * routes and change-feed handlers as the Functions app. With Kafka or Event Hubs configured the host also runs the
 * statement ledger, a downstream consumer of the statement lines, whose accounts `GET /api/ledger/{accountId}` shows.
 */
const bankApp: HostedAppFactory = ({ client, databaseId, summaries }) => {
  const bank = createBankApp({ client, databaseId, publisher: summaries });
  const ledger = createStatementLedger();
  const projections: Record<string, Projection<unknown>> = {
    [bank.projections.balance.processorName]: bank.projections.balance as Projection<unknown>,
    [bank.projections.statement.processorName]: bank.projections.statement as Projection<unknown>,
  };
  return {
    async serve(request) {
      const ledgerPath = /^\/api\/ledger\/([^/]+)$/.exec(request.path);
      if (ledgerPath === null) return bank.serve(request);
      if (request.method !== 'GET') return { status: 405, headers: { allow: 'GET' } };
      const accountId = decodeURIComponent(ledgerPath[1]!);
      const account = ledger.account(accountId);
      if (account) return { status: 200, body: account };
      return {
        status: 404,
        body: { error: 'NotInLedger', message: `No statement line of ${accountId} received yet.` },
      };
    },
    consumers: [ledger.consumer],
    processors: bank.handlers.map((handler) => {
      const projection = projections[handler.processorName];
      if (projection) {
        return { ...hostedProjection(projection), name: handler.name, aliases: [projection.name] };
      }
      return handler;
    }),
    categories: [bank.accounts.name, bank.transfers.name],
    async state(stream) {
      const name = StreamName.parse(stream);
      const category = StreamName.category(name);
      const id = StreamName.id(name);
      if (category === bank.accounts.name) return (await bank.accounts.load(id)).state.account;
      if (category === bank.transfers.name) return (await bank.transfers.load(id)).state;
      return undefined;
    },
    async stateAsOf(stream, asOf) {
      const name = StreamName.parse(stream);
      const category = StreamName.category(name);
      const id = StreamName.id(name);
      if (category === bank.accounts.name) {
        const loaded = await bank.accounts.loadAsOf(id, asOf);
        return { ...loaded, state: loaded.state.account };
      }
      if (category === bank.transfers.name) return bank.transfers.loadAsOf(id, asOf);
      return undefined;
    },
  };
};

export default bankApp;
