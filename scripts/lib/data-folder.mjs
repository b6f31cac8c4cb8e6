// What the dev server offers under /data/: the MovieLens data sets in one folder, found
// by file names (as the wasm core recognises them, src/data/files.rs): the folder itself
// or its subfolders holding ML-1M (ratings.dat [, movies.dat, users.dat]) or ML-100K
// (u.data [, u.item, u.user]) files, and its *.zip files. Only the files listed can be
// fetched, so no URL reaches anything else.
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

const LAYOUTS = [
  { format: 'ml-1m', required: 'ratings.dat', files: ['ratings.dat', 'movies.dat', 'users.dat'] },
  { format: 'ml-100k', required: 'u.data', files: ['u.data', 'u.item', 'u.user'] },
];

const formatOfZip = (name) => LAYOUTS.find((l) => name.toLowerCase().startsWith(`${l.format}`))?.format ?? null;

/** The folder data set at `path` ({ format, files }), or null; file names match case-insensitively. */
async function folderDataset(path) {
  const names = await readdir(path).catch(() => []);
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  for (const layout of LAYOUTS) {
    if (!byLower.has(layout.required)) continue;
    return { format: layout.format, files: layout.files.filter((f) => byLower.has(f)).map((f) => byLower.get(f)) };
  }
  return null;
}

const isDir = (path) => stat(path).then((s) => s.isDirectory(), () => false);
const isFile = (path) => stat(path).then((s) => s.isFile(), () => false);

/**
 * The data sets in `dir`: [{ name, kind: 'folder' | 'zip', format, files }], `files`
 * being paths relative to `dir` (what /data/<file> serves), sorted by name.
 */
export async function listDatasets(dir) {
  const datasets = [];
  const own = await folderDataset(dir);
  if (own) datasets.push({ name: basename(dir), kind: 'folder', format: own.format, files: own.files });
  const entries = (await readdir(dir).catch(() => [])).filter((n) => !n.startsWith('.')).sort();
  for (const name of entries) {
    const path = join(dir, name);
    if (/\.zip$/i.test(name) && (await isFile(path))) {
      datasets.push({ name, kind: 'zip', format: formatOfZip(name), files: [name] });
    } else if (await isDir(path)) {
      const found = await folderDataset(path);
      if (found) datasets.push({ name, kind: 'folder', format: found.format, files: found.files.map((f) => `${name}/${f}`) });
    }
  }
  return datasets;
}

/** The path of `relative` under `dir` if a listed data set names it, else null. */
export function dataFile(dir, datasets, relative) {
  const listed = datasets.some((d) => d.files.includes(relative));
  return listed ? join(dir, ...relative.split('/')) : null;
}
