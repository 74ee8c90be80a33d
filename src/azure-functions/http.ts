import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { inServerSpan } from '../http/server-span.ts';
import type { HttpAnswer, HttpCall } from '../http/types.ts';
import { invocationParent } from './invocation-trace.ts';

// A body that is not UTF-8 is refused rather than stored with U+FFFD in place of the bytes it could not read.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Adapts a framework-agnostic handler to an Azure Functions HTTP handler (`app.http(name, { handler })`), so that
 * the same function serves Functions and any other host. A body that is not UTF-8 gets 400 `InvalidUtf8`; a HEAD
 * request gets the answer without its body. Each request runs in an HTTP server span, a child of the Functions host's
 * invocation when the host passes its trace context (else of the caller's `traceparent`).
 */
export function azureHttpHandler(
  handle: (call: HttpCall, context: InvocationContext) => Promise<HttpAnswer>,
  /** `route`: the function's route template, naming its server span (`POST accounts/{id}/deposit`) */
  options: { readonly route?: string } = {},
): HttpHandler {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    let body: string;
    try {
      body = strictUtf8.decode(await request.arrayBuffer());
    } catch {
      return { status: 400, jsonBody: { error: 'InvalidUtf8', message: 'The request body is not valid UTF-8.' } };
    }
    const call: HttpCall = {
      method: request.method,
      params: request.params,
      header: (name) => request.headers.get(name) ?? undefined,
      body,
    };
    const answer = await inServerSpan(
      { method: request.method, path: new URL(request.url).pathname, header: call.header },
      () => handle(call, context),
      { route: options.route, parent: invocationParent(context) },
    );
    const head = request.method.toUpperCase() === 'HEAD';
    return {
      status: answer.status,
      ...(answer.headers ? { headers: { ...answer.headers } } : {}),
      ...(answer.body === undefined || head ? {} : { jsonBody: answer.body }),
    };
  };
}
