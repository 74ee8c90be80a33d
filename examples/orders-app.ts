// An app the dev host and the CLI can host: `tributary dev --app ./dist/orders-app.js` (or name it in
// tributary.config.json). The default export is the app factory; the host gives it a client, the containers and a
// summary publisher, and runs its processors on Tributary's change-feed processor.
import { createProjection, StreamName } from 'tributary-cosmos';
import type { HostedAppFactory } from 'tributary-cosmos/dev';

type OrderCount = { readonly events: number };

const ordersApp: HostedAppFactory = ({ containers }) => {
  const orders = createProjection<OrderCount>({
    name: 'order-count',
    version: 1,
    container: containers.views,
    categories: ['Order'],
    apply: (view, events) => ({ events: (view?.events ?? 0) + events.length }),
  });
  return {
    async serve(request) {
      const match = /^\/api\/orders\/([^/]+)$/.exec(request.path);
      if (request.method === 'GET' && match?.[1]) {
        const view = await orders.read(StreamName.create('Order', match[1]));
        return view ? { status: 200, body: view } : { status: 404, body: { message: 'No such order.' } };
      }
      return { status: 404, body: { message: `No route ${request.method} ${request.path}.` } };
    },
    processors: [{ name: orders.processorName, kind: 'projection', handle: orders.handle, aliases: [orders.name] }],
    categories: ['Order'],
  };
};

export default ordersApp;
