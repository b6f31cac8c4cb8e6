// A small static server for the app: serves the repository root on 127.0.0.1 with the
// right MIME types (application/wasm) and cross-origin-isolation headers.
//   node scripts/serve.mjs [--port N]       (default 8080; 0 picks a free port)
// Imported by the end-to-end tests as startServer({ port: 0 }).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.zip': 'application/zip',
  '.dat': 'text/plain; charset=latin1',
};

/** Resolves a URL path inside `root`, or null when it would escape it. */
function resolveInside(root, urlPath) {
  const path = normalize(join(root, decodeURIComponent(urlPath)));
  return path === root || path.startsWith(root + sep) ? path : null;
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  let path = resolveInside(ROOT, url.pathname);
  if (!path) return send(res, 403, 'forbidden');
  try {
    if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
    const body = await readFile(path);
    res.writeHead(200, {
      'Content-Type': MIME[extname(path)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    res.end(body);
  } catch {
    send(res, 404, 'not found');
  }
}

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain' });
  res.end(text);
}

/** Starts the server; resolves to { url, close }. */
export function startServer({ port = 8080, host = '127.0.0.1' } = {}) {
  return new Promise((resolvePromise, reject) => {
    const server = createServer((req, res) => void handle(req, res));
    server.on('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      resolvePromise({
        url: `http://${host}:${bound}/`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = Number(i > 0 ? process.argv[i + 1] : (process.env.PORT ?? 8080));
  const { url } = await startServer({ port });
  console.log(`ccsr demo: ${url}  (Ctrl-C to stop)`);
}
