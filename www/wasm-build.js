// Which release build of the wasm core this engine runs. scripts/build-wasm.sh makes two
// from the same source with the same JS glue (pkg/ccsr.js): pkg/ccsr_bg.wasm uses
// relaxed SIMD (the products' fused multiply-add, f32x4.relaxed_madd), which an engine
// without it refuses to compile; pkg/ccsr_simd128_bg.wasm needs plain simd128 only.
// Both train the same models; results differ by floating-point rounding.
import { relaxedSimd } from '../node_modules/wasm-feature-detect/dist/esm/index.js';

export const WASM_FILES = { 'relaxed-simd': 'ccsr_bg.wasm', simd128: 'ccsr_simd128_bg.wasm' };

/** 'relaxed-simd' when this engine compiles relaxed SIMD, else 'simd128'. */
export async function detectWasmBuild() {
  return (await relaxedSimd()) ? 'relaxed-simd' : 'simd128';
}

/** The URL of a build's wasm file. */
export function wasmUrl(build) {
  return new URL(`../pkg/${WASM_FILES[build]}`, import.meta.url);
}

/** Instantiates the build this engine runs through the glue's `init`; returns its name. */
export async function initWasmBuild(init) {
  const build = await detectWasmBuild();
  await init({ module_or_path: wasmUrl(build) });
  return build;
}
