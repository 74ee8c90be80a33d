import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

/** Debian's Chromium, which playwright-core drives (no browser download). */
export const chromiumPath = '/usr/bin/chromium';

function requireChromium(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env.TRIBUTARY_ALLOW_SKIP === '1') return false;
  throw new Error(
    `The dashboard tests need Chromium at ${chromiumPath} (Debian package "chromium"): install it ` +
      '(apt-get install chromium) or set TRIBUTARY_ALLOW_SKIP=1 to skip them.',
  );
}

/** Chromium is there; false only when it is missing and TRIBUTARY_ALLOW_SKIP=1, else a missing browser throws. */
export const haveChromium = requireChromium();

/** A headless Chromium with one page; `close()` also removes its profile. */
export interface BrowserSession {
  readonly page: Page;
  close(): Promise<void>;
}

/** Starts Chromium on a fresh profile, so nothing cached or remembered from an earlier run can make a test pass. */
export async function startBrowser(): Promise<BrowserSession> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'tributary-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
