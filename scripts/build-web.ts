import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Builds the web app into dist/web. With --if-stale it builds only when a source is newer than the last
 * build, so `npm start` and `npm test` stay quick after the first time. `npm start` and `npm run demo` call
 * `buildWeb({ ifStale: true })` in their own process (scripts/start.ts, scripts/demo.ts).
 */
const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'dist', 'web', 'index.html');

function newest(p: string): number {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, entry)));
  return max;
}

/** True when dist/web is missing or older than a source of the web app. */
export function webIsStale(): boolean {
  const sources = ['web', 'vite.config.ts', 'package-lock.json']
    .map((s) => path.join(root, s))
    .filter((s) => fs.existsSync(s));
  return !fs.existsSync(built) || Math.max(...sources.map(newest)) > fs.statSync(built).mtimeMs;
}

export function buildWeb(opts: { ifStale: boolean }): void {
  if (opts.ifStale && !webIsStale()) return;
  process.stdout.write('Building the web app…\n');
  execFileSync(path.join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}

if (import.meta.main) buildWeb({ ifStale: process.argv.includes('--if-stale') });
