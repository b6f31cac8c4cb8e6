// The two release builds of the core (scripts/build-wasm.sh): an engine without relaxed
// SIMD gets the simd128 build and trains with it; with relaxed SIMD it gets the fused
// multiply-add build, which trains to the same losses up to floating-point rounding.
// Node's V8 takes a flag for relaxed SIMD, so each case runs in a Node process of its
// own (tests/e2e/train-in-node.mjs); the page's choice in Chromium is checked in
// foundation.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./train-in-node.mjs', import.meta.url));
const train = (flag) => JSON.parse(execFileSync(process.execPath, [flag, CHILD], { encoding: 'utf8' }));

test('each engine gets a build it compiles, and both builds train alike', () => {
  const plain = train('--no-experimental-wasm-relaxed-simd');
  const relaxed = train('--experimental-wasm-relaxed-simd');
  assert.equal(plain.build, 'simd128');
  assert.equal(relaxed.build, 'relaxed-simd');
  assert.equal(plain.losses.length, 2);
  for (const [a, b] of plain.losses.map((loss, k) => [loss, relaxed.losses[k]])) {
    assert.ok(Number.isFinite(a.total) && a.total > 0, `loss ${a.total}`);
    assert.ok(Math.abs(a.total - b.total) <= 1e-5 * a.total, `simd128 ${a.total} vs relaxed SIMD ${b.total}`);
    assert.deepEqual(a.terms.map((t) => t.name), b.terms.map((t) => t.name));
  }
  // Training moved: the second epoch's loss is below the first's.
  assert.ok(plain.losses[1].total < plain.losses[0].total);
});
