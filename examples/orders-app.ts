// An app the dev host and the CLI can host: `tributary dev --app ./dist/orders-app.js` (or name it in
// tributary.config.json). The default export is the app factory; the host gives it a client, the containers and a
// summary publisher, and runs its processors on Tributary's change-feed processor.
import { createCosmosStore, createProjection, createRouter, defineCodec, type HttpRoute } from 'tributary-cosmos';
import { type HostedAppFactory, hostedProjection } from 'tributary-cosmos/dev';
import { z } from 'zod';

const itemAdded = z.object({ sku: z.string().min(1), quantity: z.number().int().positive() });
const codec = defineCodec({ ItemAdded: itemAdded });
type OrderView = { readonly items: number };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const ordersApp: HostedAppFactory = ({ client, databaseId, containers }) => {
  const orders = createCosmosStore({ client, databaseId }).category({
    name: 'Order',
    codec,
    fold: { initial: null, evolve: () => null },
  });
  const orderView = createProjection<OrderView>({
    name: 'order-view',
    version: 1,
    container: containers.views,
    categories: ['Order'],
    apply: (view, events) => ({ items: (view?.items ?? 0) + events.length }),
  });
  // The same routes can be registered one by one as Azure Functions (see `azureHttpHandler`).
  const routes: HttpRoute[] = [
    {
      name: 'addItem',
      method: 'POST',
      route: 'orders/{id}/items',
      authLevel: 'function',
      async handle({ params, body }) {
        const command = itemAdded.safeParse(parseJson(body));
        if (!command.success) return { status: 400, body: { error: 'InvalidRequest', message: command.error.message } };
        const { version } = await orders.transact(params.id ?? '', () => [{ type: 'ItemAdded', data: command.data }]);
        return { status: 200, body: { version: Number(version) } };
      },
    },
    {
      name: 'getOrder',
      method: 'GET',
      route: 'orders/{id}',
      authLevel: 'function',
      async handle({ params }) {
        const view = await orderView.read(orders.streamName(params.id ?? ''));
        return view
          ? { status: 200, body: view }
          : { status: 404, body: { error: 'NotFound', message: 'No such order.' } };
      },
    },
  ];
  return {
    serve: createRouter(routes),
    // hostedProjection: known by its name too, and `tributary rebuild order-view` can clear its views
    processors: [hostedProjection(orderView)],
    categories: ['Order'],
  };
};

export default ordersApp;
