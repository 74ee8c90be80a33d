export { createRouter, defaultRoutePrefix, matchRoute } from './router.ts';
export type { HttpAnswer, HttpCall, HttpRequest, HttpRoute } from './types.ts';
