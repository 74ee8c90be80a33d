// An app the dev host and the CLI can host: `tributary dev --app ./dist/orders-app.js` (or name it in
// tributary.config.json). The default export is the app factory; the host gives it a client, the containers and a
// summary publisher, and runs its processors on Tributary's change-feed processor.
import { createProjection, createRouter, type HttpRoute, StreamName } from 'tributary-cosmos';
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
  // The same routes can be registered one by one as Azure Functions (see `azureHttpHandler`).
  const routes: HttpRoute[] = [
    {
      name: 'getOrder',
      method: 'GET',
      route: 'orders/{id}',
      authLevel: 'function',
      async handle({ params }) {
        const view = await orders.read(StreamName.create('Order', params.id ?? ''));
        return view
          ? { status: 200, body: view }
          : { status: 404, body: { error: 'NotFound', message: 'No such order.' } };
      },
    },
  ];
  return {
    serve: createRouter(routes),
    processors: [{ name: orders.processorName, kind: 'projection', handle: orders.handle, aliases: [orders.name] }],
    categories: ['Order'],
  };
};

export default ordersApp;
