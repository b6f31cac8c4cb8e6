// A small static server for the app: serves the repository root on 127.0.0.1 with the
// right MIME types (application/wasm) and cross-origin-isolation headers, and a data
// folder read-only under /data/ (see data-folder.mjs; the page lists its data sets).
//   node scripts/serve.mjs [--port N] [--data DIR]
// Port: default 8080 (or PORT); 0 picks a free port. Data: --data DIR, else CCSR_DATA,
// else the repository's data/ (what `npm run data` fills) when it exists.
// Imported by the end-to-end tests as startServer({ port: 0, data }).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, statSync } from 'node:fs';
import { dataFile, listDatasets } from './lib/data-folder.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DEFAULT_DATA = join(ROOT, 'data');

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

const HEADERS = {
  'Cache-Control': 'no-cache',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** /data/ (the JSON listing) and /data/<file> (only files the listing names). */
async function handleData(dataDir, rest, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'read-only');
  const datasets = dataDir ? await listDatasets(dataDir) : [];
  if (rest === '') {
    res.writeHead(200, { ...HEADERS, 'Content-Type': MIME['.json'] });
    return res.end(JSON.stringify({ datasets }));
  }
  const path = dataFile(dataDir, datasets, rest);
  if (!path) return send(res, 404, 'not found');
  const body = await readFile(path);
  res.writeHead(200, { ...HEADERS, 'Content-Type': MIME[extname(path)] ?? 'application/octet-stream' });
  res.end(body);
}

async function handle(dataDir, req, res) {
  const url = new URL(req.url, 'http://localhost');
  const pathname = decodeURIComponent(url.pathname);
  if (pathname === '/data' || pathname.startsWith('/data/')) {
    return handleData(dataDir, pathname.slice('/data/'.length), req, res);
  }
  let path = resolveInside(ROOT, url.pathname);
  if (!path) return send(res, 403, 'forbidden');
  try {
    if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
    const body = await readFile(path);
    res.writeHead(200, { ...HEADERS, 'Content-Type': MIME[extname(path)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    send(res, 404, 'not found');
  }
}

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain' });
  res.end(text);
}

/** The data folder to serve: `dir` if given (it must be a folder), else data/ if present. */
export function dataDirectory(dir) {
  if (dir == null || dir === '') return existsSync(DEFAULT_DATA) ? DEFAULT_DATA : null;
  const path = resolve(dir);
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new Error(`data folder ${path}: not a folder`);
  return path;
}

/** Starts the server; resolves to { url, dataDir, close }. `data`: see dataDirectory. */
export function startServer({ port = 8080, host = '127.0.0.1', data } = {}) {
  const dataDir = dataDirectory(data);
  return new Promise((resolvePromise, reject) => {
    const server = createServer((req, res) => {
      handle(dataDir, req, res).catch((error) => {
        if (res.headersSent) return res.destroy();
        send(res, error instanceof URIError ? 400 : 500, error instanceof URIError ? 'bad request' : 'server error');
      });
    });
    server.on('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      resolvePromise({
        url: `http://${host}:${bound}/`,
        dataDir,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const option = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const port = Number(option('--port') ?? process.env.PORT ?? 8080);
  // `npm start -- --data DIR` runs in the package root: DIR is relative to where npm was run.
  const dataArg = option('--data') ?? process.env.CCSR_DATA;
  const data = dataArg ? resolve(process.env.INIT_CWD || process.cwd(), dataArg) : undefined;
  let server;
  try {
    server = await startServer({ port, data });
  } catch (error) {
    console.error(`ccsr serve: ${error.message}`);
    process.exit(1);
  }
  const found = server.dataDir ? (await listDatasets(server.dataDir)).map((d) => d.name) : [];
  console.log(`ccsr demo: ${server.url}  (Ctrl-C to stop)\n` + (server.dataDir
    ? `data sets from ${server.dataDir} under /data/: ${found.join(', ') || 'none recognised'}`
    : 'no data folder (npm run data, or npm start -- --data DIR)'));
}
