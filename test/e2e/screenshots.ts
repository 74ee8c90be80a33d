import { fileURLToPath } from 'node:url';

/**
 * Where the browser tests write their screenshots: the README's `docs/dashboard/` when asked
 * (`npm run screenshots`, which sets TRIBUTARY_SCREENSHOTS=docs), else `.tributary/screenshots/` (git-ignored), so
 * that `npm test` leaves the git tree as it was.
 */
export const screenshotDirectory = fileURLToPath(
  new URL(
    process.env.TRIBUTARY_SCREENSHOTS === 'docs' ? '../../docs/dashboard/' : '../../.tributary/screenshots/',
    import.meta.url,
  ),
);
