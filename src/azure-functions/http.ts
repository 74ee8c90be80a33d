import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { HttpAnswer, HttpCall } from '../http/types.ts';

// A body that is not UTF-8 is refused rather than stored with U+FFFD in place of the bytes it could not read.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Adapts a framework-agnostic handler to an Azure Functions HTTP handler (`app.http(name, { handler })`), so that
 * the same function serves Functions and any other host. A body that is not UTF-8 gets 400 `InvalidUtf8`; a HEAD
 * request gets the answer without its body.
 */
export function azureHttpHandler(
  handle: (call: HttpCall, context: InvocationContext) => Promise<HttpAnswer>,
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
    const answer = await handle(call, context);
    const head = request.method.toUpperCase() === 'HEAD';
    return {
      status: answer.status,
      ...(answer.headers ? { headers: { ...answer.headers } } : {}),
      ...(answer.body === undefined || head ? {} : { jsonBody: answer.body }),
    };
  };
}
