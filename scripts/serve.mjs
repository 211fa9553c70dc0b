// SPDX-License-Identifier: MIT
// Serves the built site: node scripts/serve.mjs [root=dist]; PORT overrides 8080.

import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import process from 'node:process';
import { startServer } from './lib/static-server.mjs';

const HOST = '127.0.0.1';
const DEFAULT_PORT = 8080;

function fail(message) {
  console.error(`serve: ${message}`);
  process.exit(1);
}

const root = resolve(process.argv[2] ?? 'dist');
const shownRoot = relative(process.cwd(), root) || '.';

const portText = process.env.PORT ?? String(DEFAULT_PORT);
const port = Number(portText);
if (!/^\d+$/.test(portText.trim()) || port > 65535) {
  fail(`PORT must be a number from 0 to 65535, got "${portText}"`);
}

if (!existsSync(join(root, 'index.html'))) {
  fail(`${join(shownRoot, 'index.html')} not found; build the site first with: npm run build:wasm`);
}

let server;
try {
  server = await startServer({ root, port, host: HOST });
} catch (err) {
  if (err.code === 'EADDRINUSE') {
    fail(
      `port ${port} on ${HOST} is already in use; stop the other server or pick another port, ` +
        `e.g. PORT=${port === DEFAULT_PORT ? 8081 : DEFAULT_PORT} npm start`,
    );
  }
  if (err.code === 'EACCES')
    fail(`no permission to listen on port ${port}; choose another with PORT`);
  fail(`cannot listen on ${HOST}:${port}: ${err.message}`);
}

console.log(`Optimizer Playground at ${server.url}`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.close().finally(() => process.exit(0));
  });
}
