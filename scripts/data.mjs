// `npm run data`: downloads MovieLens 1M and 100K from GroupLens into data/ (git-ignored),
// checks each zip against GroupLens's published MD5, and unpacks it into data/ml-1m/ and
// data/ml-100k/; steps already done are skipped. The dev server then offers them.
//   node scripts/data.mjs [--dir DIR] [ml-1m] [ml-100k]      (default: both, into data/)
// Without internet access, download the zips yourself into data/ and run it again: it
// verifies and unpacks them without the network.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASETS, prepare } from './lib/movielens-data.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

const args = process.argv.slice(2);
const at = args.indexOf('--dir');
const dir = at >= 0 ? resolve(args.splice(at, 2)[1] ?? '') : resolve(ROOT, 'data');
const names = args.length ? args : Object.keys(DATASETS);

let failed = 0;
for (const name of names) {
  const spec = DATASETS[name];
  try {
    if (!spec) throw new Error(`unknown data set (known: ${Object.keys(DATASETS).join(', ')})`);
    await prepare(spec, dir, { log: (line) => console.log(`[data] ${line}`) });
  } catch (error) {
    failed += 1;
    console.error(`[data] ${name}: ${error.message}`);
  }
}
if (failed) process.exit(1);
console.log(`[data] ready in ${dir}; npm start serves it (the page lists it under Data)`);
