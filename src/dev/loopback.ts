/**
 * True for an endpoint on this machine (the local server or the official emulator). The SDK's endpoint discovery
 * asks the account for its regional endpoints and then talks to those; a local server has none to offer, so
 * clients of loopback endpoints turn discovery off.
 */
export function isLoopbackEndpoint(endpoint: string): boolean {
  try {
    const { hostname } = new URL(endpoint);
    return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  } catch {
    return false;
  }
}
