// SPDX-License-Identifier: MIT
// A dependency-free static file server (node:http) for dist/ and the browser tests.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** Content types by file extension; `.d.ts` is matched before `.ts`. */
export const MIME_TYPES = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.d.ts': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
});

/**
 * The playground's Content Security Policy, sent with every response and carried by
 * web/index.html as a meta tag for static hosts (tests/js/static-server.test.mjs checks that
 * the two agree): scripts only from the site (the core's wasm compiled from it), Workers from
 * the site or blob: URLs, styles from the site, no inline script, no plugins. Framing stays
 * allowed: the page is made to be embedded in course pages.
 */
export const PLAYGROUND_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The content type for a file name (application/octet-stream when unknown). */
export function contentType(filePath) {
  if (filePath.endsWith('.d.ts')) return MIME_TYPES['.d.ts'];
  return MIME_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

function sendText(res, status, message, extraHeaders = {}) {
  const body = `${message}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache',
    ...extraHeaders,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

async function statOrNull(path) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

/** Handles one request for files under `root` (an absolute, resolved path). */
async function handle(root, policy, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    return;
  }

  // Take the raw path (no query or fragment) and decode it ourselves: URL
  // parsing would silently collapse "/../", which we want to refuse instead.
  const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0];
  let urlPath;
  try {
    urlPath = decodeURIComponent(rawPath);
  } catch {
    sendText(res, 400, 'Bad Request: malformed URI');
    return;
  }
  if (!urlPath.startsWith('/') || urlPath.includes('\0')) {
    sendText(res, 400, 'Bad Request');
    return;
  }

  let filePath = resolve(root, `.${urlPath}`);
  if (filePath !== root && !filePath.startsWith(root + sep)) {
    sendText(res, 403, 'Forbidden');
    return;
  }

  let info = await statOrNull(filePath);
  if (info?.isDirectory()) {
    if (!urlPath.endsWith('/')) {
      // Relative URLs inside the directory's index.html need the slash.
      const query = (req.url ?? '').slice(rawPath.length);
      sendText(res, 301, 'Moved Permanently', { Location: `${rawPath}/${query}` });
      return;
    }
    filePath = join(filePath, 'index.html');
    info = await statOrNull(filePath);
  }
  if (!info?.isFile()) {
    sendText(res, 404, 'Not Found');
    return;
  }

  res.writeHead(200, {
    'Content-Type': contentType(filePath),
    'Content-Length': info.size,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    ...(policy ? { 'Content-Security-Policy': policy } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(filePath), res);
  } catch {
    res.destroy(); // client went away or the file vanished mid-read
  }
}

/**
 * Starts a static server for `root`. Use port 0 for a free port (tests). `policy`: the
 * Content-Security-Policy header of every file (the playground's by default; null for none,
 * as for a page that is not the playground, e.g. a course page that embeds it).
 * Rejects with the listen error (e.g. code EADDRINUSE) if the port is taken.
 * @returns {Promise<{server: import('node:http').Server, url: string, close: () => Promise<void>}>}
 */
export async function startServer({
  root,
  port = 0,
  host = '127.0.0.1',
  policy = PLAYGROUND_POLICY,
} = {}) {
  if (!root) throw new TypeError('startServer: root is required');
  const absRoot = resolve(root);
  const server = createServer((req, res) => {
    handle(absRoot, policy, req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });

  await new Promise((resolveListen, rejectListen) => {
    const onError = (err) => {
      server.off('listening', onListening);
      rejectListen(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolveListen();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });

  const { port: actualPort } = server.address();
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${actualPort}/`;
  const close = () =>
    new Promise((resolveClose, rejectClose) => {
      server.close((err) => (err ? rejectClose(err) : resolveClose()));
      server.closeAllConnections(); // do not wait for idle keep-alive sockets
    });
  return { server, url, close };
}
