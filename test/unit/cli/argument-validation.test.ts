import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.ts';
import { captureIo } from './capture-io.ts';

// These command lines are wrong before any connection is made, so they run without a Cosmos server.
describe('tributary validates command lines before connecting', () => {
  it('refuses checkpoints rewind without --processor', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['checkpoints', 'rewind', '--to', 'beginning'], io)).toBe(2);
    expect(out.stderr).toContain('Missing --processor <name>');
    expect(out.stderr).toContain('Run "tributary checkpoints rewind --help" for usage.');
  });

  it('refuses checkpoints rewind to something that is neither a time nor "beginning"', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['checkpoints', 'rewind', '--processor', 'balances', '--to', 'yesterday'], io)).toBe(2);
    expect(out.stderr).toContain('--to "yesterday" is not a time: use "beginning", an ISO 8601 time with a zone');
  });

  it('refuses an --option that needs a value when given none', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['checkpoints', 'rewind', '--processor', 'balances', '--to'], io)).toBe(2);
    expect(out.stderr).toContain("Option '--to <value>' argument missing");
  });

  it('refuses replay --from with an unreadable time', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['replay', 'balances', '--from', 'last tuesday'], io)).toBe(2);
    expect(out.stderr).toContain('--from "last tuesday" is not a time: use "beginning", an ISO 8601 time with a zone');
  });

  it('refuses to dump a stream whose name is not Category-id, as a command-line mistake', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['dump', 'no_dash'], io)).toBe(2);
    expect(out.stderr).toBe(
      'tributary: Invalid stream name "no_dash": it has no "-" separating category and id. Expected "Category-id", ' +
        'e.g. "Account-42".\nRun "tributary dump --help" for usage.\n',
    );
  });

  it('refuses to list the streams of something that cannot be a category', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['streams', 'Account-42'], io)).toBe(2);
    expect(out.stderr).toContain('"Account-42" is not a category');
  });

  it('refuses dump --from that is not a version', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['dump', 'Account-42', '--from', '1.5'], io)).toBe(2);
    expect(out.stderr).toContain('--from "1.5" is not a version');
  });

  it('refuses a port that is not a number', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['cosmos', '--port', 'eighty'], io)).toBe(2);
    expect(out.stderr).toContain('port');
  });

  it('refuses a dev host setting that is wrong, naming the variable and the flag, without echoing values', async () => {
    const { io, out } = captureIo({ PORT: 'eighty', COSMOS_ENDPOINT: 'not-a-url', COSMOS_KEY: 'c2VjcmV0' });
    expect(await runCli(['dev'], io)).toBe(2);
    expect(out.stderr).toContain('PORT (or --port): ');
    expect(out.stderr).toContain('COSMOS_ENDPOINT: ');
    expect(out.stderr).not.toContain('not-a-url');
    expect(out.stderr).not.toContain('c2VjcmV0');
  });

  it('refuses an endpoint that is not a URL', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['streams', 'Account', '--endpoint', 'not a url'], io)).toBe(2);
    expect(out.stderr).toContain('Invalid connection settings');
  });

  it('refuses a remote endpoint without COSMOS_KEY, and says where the key comes from', async () => {
    const { io, out } = captureIo({});
    const code = await runCli(['streams', 'Account', '--endpoint', 'https://myaccount.documents.azure.com:443/'], io);
    expect(code).toBe(1);
    expect(out.stderr).toContain('set COSMOS_KEY');
  });
});
