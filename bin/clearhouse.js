#!/usr/bin/env node
// The `clearhouse` command. Clearhouse runs on Node.js 24 (the project pins it as a dependency); when
// started by an older `node`, hand over to the pinned one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const pinned = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(pinned)) {
    process.stderr.write(`clearhouse needs Node.js 24 (found ${process.version}); run \`npm ci\` first.\n`);
    process.exit(2);
  }
  const result = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}
await import(join(root, 'src', 'cli', 'main.ts'));
