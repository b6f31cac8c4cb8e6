// `npm run data`'s checksum-and-unpack path (scripts/lib/movielens-data.mjs), offline:
// zips are built here from ../shared/data and the download is a stub.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { md5, parseMd5File, prepare, verifyAndUnpack } from '../../scripts/lib/movielens-data.mjs';

const SHARED = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** A zip of ../shared/data/<folder> with its files under `name/`, as GroupLens lays it out. */
async function zipOf(folder, name) {
  const files = await readdir(join(SHARED, folder));
  const entries = {};
  for (const file of files) entries[`${name}/${file}`] = await readFile(join(SHARED, folder, file));
  return { zip: zipSync(entries), files };
}

let tmp;
let ml100k;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ccsr-data-'));
  ml100k = await zipOf('ml-100k', 'ml-100k');
});
after(async () => { await rm(tmp, { recursive: true, force: true }); });

const fresh = async (label) => mkdtemp(join(tmp, `${label}-`));
const exists = (path) => stat(path).then(() => true, () => false);

async function assertSameFiles(folder, original, files) {
  assert.deepEqual((await readdir(folder)).sort(), [...files].sort());
  for (const file of files) {
    const [a, b] = await Promise.all([readFile(join(folder, file)), readFile(join(SHARED, original, file))]);
    assert.ok(a.equals(b), `${file} differs from the original`);
  }
}

test('the published .md5 format parses', () => {
  assert.equal(parseMd5File('MD5 (ml-100k.zip) = 0E33842E24A9C977BE4E0107933C0723\n'), '0e33842e24a9c977be4e0107933c0723');
  assert.throws(() => parseMd5File('<html>not found</html>'), /no MD5 digest/);
});

test('a zip with the right checksum unpacks byte for byte (ml-100k, ml-1m-head)', async () => {
  const dir = await fresh('ok');
  const folder = await verifyAndUnpack(ml100k.zip, md5(ml100k.zip), dir, 'ml-100k');
  assert.equal(folder, join(dir, 'ml-100k'));
  await assertSameFiles(folder, 'ml-100k', ml100k.files);

  const head = await zipOf('ml-1m-head', 'ml-1m');
  await verifyAndUnpack(head.zip, md5(head.zip), dir, 'ml-1m');
  await assertSameFiles(join(dir, 'ml-1m'), 'ml-1m-head', head.files);
  assert.deepEqual((await readdir(dir)).sort(), ['ml-100k', 'ml-1m']);
});

test('a wrong checksum fails clearly and unpacks nothing', async () => {
  const dir = await fresh('mismatch');
  await assert.rejects(verifyAndUnpack(ml100k.zip, '0'.repeat(32), dir, 'ml-100k'),
    new RegExp(`ml-100k\\.zip: checksum mismatch: MD5 is ${md5(ml100k.zip)}, GroupLens publishes 0{32}`));
  assert.deepEqual(await readdir(dir), []);
});

test('a corrupt or misshapen zip fails clearly and leaves nothing half-unpacked', async () => {
  const dir = await fresh('corrupt');
  const truncated = ml100k.zip.subarray(0, ml100k.zip.length - 1000);
  await assert.rejects(verifyAndUnpack(truncated, md5(truncated), dir, 'ml-100k'), /ml-100k\.zip: not a readable zip/);
  // Flipped bytes inside the compressed data: the inflater or the CRC-32 catches it.
  const flipped = ml100k.zip.slice();
  for (let i = 2000; i < 2100; i++) flipped[i] ^= 0xff;
  await assert.rejects(verifyAndUnpack(flipped, md5(flipped), dir, 'ml-100k'), /ml-100k\.zip: not a readable zip/);
  // A flipped byte in a stored (uncompressed) entry: only the CRC-32 shows it.
  const stored = zipSync({ 'ml-100k/u.data': new TextEncoder().encode('1\t1\t5\t0\n') }, { level: 0 });
  stored[Buffer.from(stored).indexOf('1\t1\t5')] ^= 1;
  await assert.rejects(verifyAndUnpack(stored, md5(stored), dir, 'ml-100k'), /not a readable zip \(ml-100k\/u\.data: CRC-32 mismatch\)/);
  const escaping = zipSync({ 'ml-100k/u.data': new Uint8Array([49]), '../evil.txt': new Uint8Array([1]) });
  await assert.rejects(verifyAndUnpack(escaping, md5(escaping), dir, 'ml-100k'), /unexpected entry "\.\.\/evil\.txt"/);
  assert.deepEqual(await readdir(dir), []);
  assert.equal(await exists(join(tmp, 'evil.txt')), false);
});

/** A fetch stub serving `routes` (url -> bytes or text) and counting the requests. */
function stubFetch(routes) {
  const fetch = async (url) => {
    fetch.calls.push(url);
    if (!(url in routes)) return new Response('not found', { status: 404, statusText: 'Not Found' });
    return new Response(routes[url]);
  };
  fetch.calls = [];
  return fetch;
}

const spec = () => ({
  name: 'ml-100k',
  url: 'https://files.grouplens.org/datasets/movielens/ml-100k.zip',
  md5Url: 'https://files.grouplens.org/datasets/movielens/ml-100k.zip.md5',
  md5: md5(ml100k.zip),
});

test('prepare downloads, verifies and unpacks once, then skips what is done', async () => {
  const dir = await fresh('prepare');
  const s = spec();
  const fetch = stubFetch({ [s.url]: ml100k.zip, [s.md5Url]: `MD5 (ml-100k.zip) = ${s.md5}\n` });
  const first = await prepare(s, dir, { fetch });
  assert.deepEqual([first.downloaded, first.unpacked], [true, true]);
  assert.equal(fetch.calls.length, 2);
  assert.ok((await readFile(join(dir, 'ml-100k.zip'))).equals(Buffer.from(ml100k.zip)));
  await assertSameFiles(join(dir, 'ml-100k'), 'ml-100k', ml100k.files);

  const again = await prepare(s, dir, { fetch });
  assert.deepEqual([again.downloaded, again.unpacked], [false, false]);
  assert.equal(fetch.calls.length, 2, 'no network when the zip is present and verified');

  // A zip the user put there (no network) is verified and unpacked.
  await rm(join(dir, 'ml-100k'), { recursive: true });
  const offline = await prepare(s, dir, { fetch: stubFetch({}) });
  assert.deepEqual([offline.downloaded, offline.unpacked], [false, true]);
  await assertSameFiles(join(dir, 'ml-100k'), 'ml-100k', ml100k.files);
});

test('prepare fails loudly on an unreachable host, a bad download or a changed checksum', async () => {
  const s = spec();
  const unreachable = async () => { throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND files.grouplens.org') }); };
  const dir = await fresh('offline');
  await assert.rejects(prepare(s, dir, { fetch: unreachable }),
    /could not reach files\.grouplens\.org: getaddrinfo ENOTFOUND files\.grouplens\.org; download ml-100k\.zip yourself .* and put it in .*, then run npm run data again/);
  assert.deepEqual(await readdir(dir), []);

  // A corrupt zip on disk is deleted and downloaded again.
  const bad = await fresh('bad');
  await writeFile(join(bad, 'ml-100k.zip'), 'not a zip');
  const good = stubFetch({ [s.url]: ml100k.zip, [s.md5Url]: `MD5 (ml-100k.zip) = ${s.md5}` });
  const log = [];
  await prepare(s, bad, { fetch: good, log: (line) => log.push(line) });
  assert.match(log.join('\n'), /checksum mismatch.*deleted it, downloading again/);
  await assertSameFiles(join(bad, 'ml-100k'), 'ml-100k', ml100k.files);

  // A download whose bytes do not match is discarded, never written.
  const truncated = await fresh('truncated');
  const short = stubFetch({ [s.url]: ml100k.zip.subarray(0, 1000), [s.md5Url]: `MD5 (ml-100k.zip) = ${s.md5}` });
  await assert.rejects(prepare(s, truncated, { fetch: short }), /downloaded ml-100k\.zip: checksum mismatch.*the download was discarded/);
  assert.deepEqual(await readdir(truncated), []);

  // GroupLens publishing another checksum than the pinned one stops before downloading.
  const changed = stubFetch({ [s.url]: ml100k.zip, [s.md5Url]: `MD5 (ml-100k.zip) = ${'1'.repeat(32)}` });
  await assert.rejects(prepare(s, await fresh('changed'), { fetch: changed }), /says 1{32} but .* pins/);

  const missing = stubFetch({});
  await assert.rejects(prepare(s, await fresh('404'), { fetch: missing }), /ml-100k\.zip\.md5: HTTP 404 Not Found; download ml-100k\.zip yourself/);
});
