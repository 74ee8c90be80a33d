import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

const assets: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/dom.js': { file: 'dom.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/chart.js': { file: 'chart.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/overview.js': { file: 'overview.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/consumers.js': { file: 'consumers.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/streams.js': { file: 'streams.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/journey.js': { file: 'journey.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/query.js': { file: 'query.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
};

const directory = new URL('./dashboard/', import.meta.url);

/** Serves the dashboard's page, script and stylesheet from disk (no build step). Returns false for other paths. */
export async function serveDashboardAsset(pathname: string, response: ServerResponse): Promise<boolean> {
  const asset = assets[pathname];
  if (!asset) return false;
  const body = await readFile(new URL(asset.file, directory));
  response.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache', 'content-length': body.length });
  response.end(body);
  return true;
}
