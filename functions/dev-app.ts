import { StreamName } from '../src/core/index.ts';
import { type HostedAppFactory, hostedProjection } from '../src/dev/index.ts';
import type { Projection } from '../src/projections/index.ts';
import { createBankApp } from './app.ts';
import { StatementLine } from './bank/statement-lines.ts';

/** The summary contracts the bank publishes: `tributary contracts export` / `check` read them from here. */
export const contracts = [StatementLine];

/**
 * The sample bank as the dev host and the CLI host it (`tributary.config.json` names this module's build): the same
 * routes and change-feed handlers as the Functions app.
 */
const bankApp: HostedAppFactory = ({ client, databaseId, summaries }) => {
  const bank = createBankApp({ client, databaseId, publisher: summaries });
  const projections: Record<string, Projection<unknown>> = {
    [bank.projections.balance.processorName]: bank.projections.balance as Projection<unknown>,
    [bank.projections.statement.processorName]: bank.projections.statement as Projection<unknown>,
  };
  return {
    serve: (request) => bank.serve(request),
    processors: bank.handlers.map((handler) => {
      const projection = projections[handler.processorName];
      if (projection) {
        const hosted = hostedProjection(projection);
        return { ...hosted, aliases: [handler.name, ...(hosted.aliases ?? [])] };
      }
      return { name: handler.processorName, kind: handler.kind, handle: handler.handle, aliases: [handler.name] };
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
