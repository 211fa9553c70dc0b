// SPDX-License-Identifier: MIT
// The static server of scripts/lib: status codes, MIME types, path traversal, and the serve.mjs CLI.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PLAYGROUND_POLICY, startServer } from '../../scripts/lib/static-server.mjs';

const SERVE = fileURLToPath(new URL('../../scripts/serve.mjs', import.meta.url));
const INDEX = '<!doctype html><title>t</title>\n';
const MODULE = 'export const answer = 42;\n';
const WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const SECRET = 'outside the root\n';

/** Sends `path` verbatim (fetch would normalise "/../" away before sending). */
function get(baseUrl, path, method = 'GET') {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolveRes, rejectRes) => {
    const req = request({ hostname, port, path, method, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolveRes({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', rejectRes);
    });
    req.on('error', rejectRes);
    req.end();
  });
}

/** Runs serve.mjs until it prints a line or exits; returns what it said. */
function runServe(args, env) {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(process.execPath, [SERVE, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', rejectRun);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

describe('static server', () => {
  let tmp;
  let root;
  let srv;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'static-server-'));
    root = join(tmp, 'site');
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(root, 'index.html'), INDEX);
    await writeFile(join(root, 'optim.mjs'), MODULE);
    await writeFile(join(root, 'optim.wasm'), WASM);
    await writeFile(join(root, 'optim.d.ts'), 'export {};\n');
    await writeFile(join(root, 'a b.json'), '{}\n');
    await writeFile(join(root, 'sub', 'index.html'), INDEX);
    await writeFile(join(tmp, 'secret.txt'), SECRET);
    srv = await startServer({ root, port: 0 });
  });

  after(async () => {
    await srv?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  test('listens on 127.0.0.1 with a real port', () => {
    assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.notEqual(new URL(srv.url).port, '0');
  });

  test('serves index.html for / with no-cache', async () => {
    const res = await get(srv.url, '/');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(res.body.toString(), INDEX);
  });

  test('sends the playground Content Security Policy, the one web/index.html declares', async () => {
    const res = await get(srv.url, '/');
    assert.equal(res.headers['content-security-policy'], PLAYGROUND_POLICY);
    // No inline script, workers from the site or blob:, wasm compiled, framing allowed.
    assert.match(PLAYGROUND_POLICY, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.match(PLAYGROUND_POLICY, /worker-src 'self' blob:(;|$)/);
    assert.doesNotMatch(PLAYGROUND_POLICY, /'unsafe-inline'|'unsafe-eval'|frame-ancestors/);
    const html = await readFile(new URL('../../web/index.html', import.meta.url), 'utf8');
    const meta = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/);
    assert.ok(meta, 'web/index.html has no Content-Security-Policy meta tag');
    assert.equal(meta[1], PLAYGROUND_POLICY);
  });

  test('sends no policy when asked for none', async () => {
    const bare = await startServer({ root, port: 0, policy: null });
    try {
      const res = await get(bare.url, '/');
      assert.equal(res.headers['content-security-policy'], undefined);
    } finally {
      await bare.close();
    }
  });

  test('serves files with their MIME types', async () => {
    const cases = [
      ['/index.html', /^text\/html/],
      ['/optim.mjs', /^text\/javascript/],
      ['/optim.wasm', /^application\/wasm$/],
      ['/optim.d.ts', /^text\/plain/],
      ['/a%20b.json', /^application\/json/],
      ['/optim.mjs?v=1', /^text\/javascript/],
      ['/sub/', /^text\/html/],
    ];
    for (const [path, type] of cases) {
      const res = await get(srv.url, path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers['content-type'], type, path);
    }
    const wasm = await get(srv.url, '/optim.wasm');
    assert.deepEqual(wasm.body, WASM);
    assert.equal(Number(wasm.headers['content-length']), WASM.length);
  });

  test('HEAD sends headers only', async () => {
    const res = await get(srv.url, '/optim.mjs', 'HEAD');
    assert.equal(res.status, 200);
    assert.equal(Number(res.headers['content-length']), Buffer.byteLength(MODULE));
    assert.equal(res.body.length, 0);
  });

  test('redirects a directory without its trailing slash', async () => {
    const res = await get(srv.url, '/sub?x=1');
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, '/sub/?x=1');
  });

  test('404 for missing files', async () => {
    for (const path of ['/missing.js', '/sub/missing/', '/optim.wasm/x']) {
      assert.equal((await get(srv.url, path)).status, 404, path);
    }
  });

  test('405 for other methods', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await get(srv.url, '/', method);
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.allow, 'GET, HEAD');
    }
  });

  test('400 for malformed URIs and NUL bytes', async () => {
    for (const path of ['/%E0%A4%A', '/%', '/index.html%00.png']) {
      assert.equal((await get(srv.url, path)).status, 400, path);
    }
  });

  test('rejects path traversal, plain or encoded', async () => {
    const paths = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/sub/../../secret.txt',
      '/sub/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
    ];
    for (const path of paths) {
      const res = await get(srv.url, path);
      assert.ok(res.status >= 400 && res.status < 500, `${path} -> ${res.status}`);
      assert.ok(!res.body.toString().includes(SECRET.trim()), path);
    }
  });

  test('rejects a second server on a busy port with EADDRINUSE', async () => {
    const port = Number(new URL(srv.url).port);
    await assert.rejects(startServer({ root, port }), { code: 'EADDRINUSE' });
  });

  test('serve.mjs prints its URL', async () => {
    const { stdout } = await runServe([root], { PORT: '0' });
    assert.match(stdout, /^Optimizer Playground at http:\/\/127\.0\.0\.1:\d+\/$/m);
  });

  test('serve.mjs explains a missing index.html', async () => {
    const { code, stderr } = await runServe([join(tmp, 'nowhere')], { PORT: '0' });
    assert.equal(code, 1);
    assert.match(stderr, /index\.html not found.*npm run build:wasm/);
  });

  test('serve.mjs explains a busy port', async () => {
    const port = new URL(srv.url).port;
    const { code, stderr } = await runServe([root], { PORT: port });
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`port ${port} .*already in use.*PORT=`));
  });
});
