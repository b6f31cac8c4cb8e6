// Run by wasm-builds.test.mjs in a Node process of its own (so that V8 flags can turn
// relaxed SIMD on or off): picks the wasm build as the page's worker does
// (www/wasm-build.js), instantiates it, trains CCSR with the default settings on the
// built-in synthetic data for two epochs and prints { build, losses } as JSON.
import { readFileSync } from 'node:fs';
import init, * as core from '../../pkg/ccsr.js';
import { detectWasmBuild, wasmUrl } from '../../www/wasm-build.js';

const build = await detectWasmBuild();
await init({ module_or_path: readFileSync(wasmUrl(build)) });
const session = new core.Session();
session.loadSynthetic(null, 1);
session.configure({});
const losses = [session.step(), session.step()].map((record) => record.loss);
console.log(JSON.stringify({ build, losses }));
