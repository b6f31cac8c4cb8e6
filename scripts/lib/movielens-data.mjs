// The checksum-and-unpack path of `npm run data` (scripts/data.mjs), split from the
// download so that the tests can run it on a zip built from ../shared/data, offline.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import * as zlib from 'node:zlib';
import { unzipSync } from 'fflate';

const BASE = 'https://files.grouplens.org/datasets/movielens';

// GroupLens publishes `<name>.zip.md5` beside each zip ("MD5 (ml-1m.zip) = <hex>").
// Pinned here from those files at https://files.grouplens.org/datasets/movielens/
// ml-1m.zip.md5 and ml-100k.zip.md5 (the same values are quoted by projects that pin
// them, e.g. "MD5 (ml-100k.zip) = 0e33842e24a9c977be4e0107933c0723"). The download
// fetches the published file too and stops if it ever disagrees with the pin.
export const DATASETS = {
  'ml-1m': { name: 'ml-1m', url: `${BASE}/ml-1m.zip`, md5Url: `${BASE}/ml-1m.zip.md5`, md5: 'c4d9eecfca2ab87c1945afe126590906' },
  'ml-100k': { name: 'ml-100k', url: `${BASE}/ml-100k.zip`, md5Url: `${BASE}/ml-100k.zip.md5`, md5: '0e33842e24a9c977be4e0107933c0723' },
};

export const md5 = (bytes) => createHash('md5').update(bytes).digest('hex');

/** The hex digest in a GroupLens `.md5` file ("MD5 (x.zip) = hex" or "hex  x.zip"). */
export function parseMd5File(text) {
  const found = String(text).match(/\b[0-9a-f]{32}\b/i);
  if (!found) throw new Error(`no MD5 digest in the published checksum file: ${JSON.stringify(String(text).slice(0, 80))}`);
  return found[0].toLowerCase();
}

/** Throws unless `bytes` has the MD5 `expected`; `label` names the file in the error. */
export function verify(bytes, expected, label) {
  const actual = md5(bytes);
  if (actual !== expected.toLowerCase()) {
    throw new Error(`${label}: checksum mismatch: MD5 is ${actual}, GroupLens publishes ${expected}`);
  }
  return actual;
}

const exists = (path) => stat(path).then(() => true, () => false);

/** The CRC-32 of every entry, from the zip's central directory (fflate does not check them). */
function centralCrcs(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error('no end of central directory');
  const crcs = new Map();
  let at = view.getUint32(end + 16, true);
  for (let n = view.getUint16(end + 10, true); n > 0; n -= 1) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error('bad central directory');
    const nameLength = view.getUint16(at + 28, true);
    const entry = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    crcs.set(entry, view.getUint32(at + 16, true));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return crcs;
}

/** The zip's entries (name -> bytes) after checks: readable, CRCs right, all under `name/`. */
function entriesOf(bytes, name, label) {
  let entries;
  try {
    entries = unzipSync(bytes);
    if (zlib.crc32) {
      for (const [entry, crc] of centralCrcs(bytes)) {
        if (entries[entry] && zlib.crc32(entries[entry]) !== crc) throw new Error(`${entry}: CRC-32 mismatch`);
      }
    }
  } catch (error) {
    throw new Error(`${label}: not a readable zip (${error.message})`);
  }
  const files = Object.entries(entries).filter(([path]) => !path.endsWith('/'));
  if (!files.length) throw new Error(`${label}: the zip holds no files`);
  for (const [path] of files) {
    const clean = normalize(path).split(sep).join('/');
    if (!clean.startsWith(`${name}/`) || clean.split('/').includes('..')) {
      throw new Error(`${label}: unexpected entry ${JSON.stringify(path)} (every file should be under ${name}/)`);
    }
  }
  return files;
}

/**
 * Unpacks `bytes` (a zip whose files are all under `name/`) into `dir/name/`. Everything
 * is read and checked in memory and written to a staging folder first, which is renamed
 * into place at the end: a failure leaves no `dir/name/` behind. Returns its path.
 */
export async function unpack(bytes, dir, name, label = `${name}.zip`) {
  const files = entriesOf(bytes, name, label);
  const target = resolve(dir, name);
  const staging = resolve(dir, `.${name}.unpacking`);
  await rm(staging, { recursive: true, force: true });
  try {
    for (const [path, content] of files) {
      const out = join(staging, normalize(path).slice(name.length + 1));
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, content);
    }
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return target;
}

/** Verifies `bytes` against `expected` and unpacks it into `dir/name/`. */
export async function verifyAndUnpack(bytes, expected, dir, name) {
  verify(bytes, expected, `${name}.zip`);
  return unpack(bytes, dir, name);
}

async function fetchBytes(fetchImpl, url) {
  let response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    const cause = error.cause?.message ?? error.cause?.code ?? error.message;
    throw new Error(`could not reach ${new URL(url).host}: ${cause}`, { cause: error });
  }
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Makes `dir/<name>.zip` (verified) and `dir/<name>/` (unpacked) exist, doing only what
 * is missing: a zip already present is checked against the pinned MD5 (and deleted when
 * it does not match); the network is used only when the zip is missing or was deleted.
 * `log` receives one line per step. Returns { zip, folder, downloaded, unpacked }.
 */
export async function prepare(spec, dir, { fetch: fetchImpl = globalThis.fetch, log = () => {} } = {}) {
  const { name, url, md5Url, md5: pinned } = spec;
  const zip = resolve(dir, `${name}.zip`);
  const folder = resolve(dir, name);
  await mkdir(dir, { recursive: true });
  let bytes = null;
  let downloaded = false;
  if (await exists(zip)) {
    bytes = new Uint8Array(await readFile(zip));
    try {
      verify(bytes, pinned, zip);
      log(`${name}.zip: present, MD5 ${pinned} ok`);
    } catch (error) {
      await rm(zip, { force: true });
      log(`${error.message}; deleted it, downloading again`);
      bytes = null;
    }
  }
  if (!bytes) {
    log(`${name}.zip: downloading ${url}`);
    const fetchOrExplain = (source) => fetchBytes(fetchImpl, source).catch((error) => {
      throw new Error(`${error.message}; download ${name}.zip yourself (${url}) and put it in ${dir}/, then run npm run data again`, { cause: error });
    });
    const published = parseMd5File(new TextDecoder().decode(await fetchOrExplain(md5Url)));
    if (published !== pinned) {
      throw new Error(`${md5Url} says ${published} but scripts/lib/movielens-data.mjs pins ${pinned}: GroupLens changed the file; check it and update the pin`);
    }
    bytes = await fetchOrExplain(url);
    // Verified in memory, so a bad download is never left on disk.
    try {
      verify(bytes, pinned, `downloaded ${name}.zip`);
    } catch (error) {
      throw new Error(`${error.message}; the download was discarded, try again`);
    }
    await writeFile(`${zip}.part`, bytes);
    await rename(`${zip}.part`, zip);
    downloaded = true;
    log(`${name}.zip: downloaded, MD5 ${pinned} ok`);
  }
  let unpacked = false;
  if (downloaded || !(await exists(folder))) {
    await unpack(bytes, dir, name);
    unpacked = true;
    log(`${name}/: unpacked`);
  } else {
    log(`${name}/: present`);
  }
  return { zip, folder, downloaded, unpacked };
}
