//! Register-tiled f32 matrix products for the hot dense products of training.
//!
//! One tile loop ([`tile`]) keeps a `ROWS x WIDTH` block of the product in vector
//! registers while it runs down the shared dimension: written with simd128 intrinsics
//! in wasm, as fixed-size array loops elsewhere (which compile to AVX2 where the caller
//! enables it). The MAP similarity kernel (`model::map_kernel`) runs on it, and so do
//! the products of the training step ([`matmul`], [`cross`]) in wasm, where it runs
//! about 1.5x faster than `matrixmultiply`'s simd128 kernel on these shapes
//! (BENCHMARKS.md, fourth pass). Natively [`matmul`] and [`cross`] keep ndarray's
//! `matrixmultiply` (AVX2 + FMA). The tests run the tiled path natively and in wasm.

use std::ops::Range;

use ndarray::{Array2, ArrayView2};

/// Rows of a product tile.
pub(crate) const ROWS: usize = 4;
/// Columns of a product tile: two simd128 vectors, one AVX2 vector.
pub(crate) const WIDTH: usize = 8;
/// Depth of one pass of [`product_into`]: the `a` rows and `b` panel of a pass stay in
/// cache while every tile is computed (for the Gram matrix of a 128 x 3615 decoder
/// weight, a pass reads 128 x 512 floats of each).
const DEPTH: usize = 512;

/// `t[i][l] = sum_k a[i][k] b[k * WIDTH + l]` for `k < depth` (`b` is `depth x WIDTH`,
/// row-major; each `a[i]` at least `depth` long), with the `ROWS x WIDTH` accumulators
/// in registers.
#[inline(always)]
pub(crate) fn tile(a: &[&[f32]; ROWS], b: &[f32], depth: usize) -> [[f32; WIDTH]; ROWS] {
    strided_tile(a, 1, b, depth)
}

/// [`tile`] with element `k` of `a[i]` at `a[i][k * stride]`.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn strided_tile(
    a: &[&[f32]; ROWS],
    stride: usize,
    b: &[f32],
    depth: usize,
) -> [[f32; WIDTH]; ROWS] {
    let mut acc = [[0.0f32; WIDTH]; ROWS];
    for (k, b) in b.chunks_exact(WIDTH).take(depth).enumerate() {
        let b: &[f32; WIDTH] = b.try_into().expect("tile width");
        for i in 0..ROWS {
            let x = a[i][k * stride];
            for l in 0..WIDTH {
                acc[i][l] += x * b[l];
            }
        }
    }
    acc
}

/// simd128 [`strided_tile`]: the accumulators are eight `f32x4` registers.
#[cfg(target_arch = "wasm32")]
#[inline(always)]
fn strided_tile(
    a: &[&[f32]; ROWS],
    stride: usize,
    b: &[f32],
    depth: usize,
) -> [[f32; WIDTH]; ROWS] {
    use super::simd::multiply_add;
    use core::arch::wasm32::*;
    let reach = depth.saturating_sub(1) * stride + 1;
    assert!(depth == 0 || a.iter().all(|a| a.len() >= reach));
    assert!(b.len() >= depth * WIDTH);
    let mut acc = [[f32x4_splat(0.0); 2]; ROWS];
    let p = b.as_ptr();
    for k in 0..depth {
        // SAFETY: k < depth; b holds depth * WIDTH floats.
        let (b0, b1) = unsafe {
            (
                v128_load(p.add(k * WIDTH) as *const v128),
                v128_load(p.add(k * WIDTH + 4) as *const v128),
            )
        };
        for (acc, a) in acc.iter_mut().zip(a) {
            // SAFETY: k * stride < reach <= a.len().
            let x = f32x4_splat(unsafe { *a.get_unchecked(k * stride) });
            acc[0] = multiply_add(x, b0, acc[0]);
            acc[1] = multiply_add(x, b1, acc[1]);
        }
    }
    let mut out = [[0.0f32; WIDTH]; ROWS];
    for (out, acc) in out.iter_mut().zip(acc) {
        // SAFETY: each out row holds WIDTH = 8 floats.
        unsafe {
            v128_store(out.as_mut_ptr() as *mut v128, acc[0]);
            v128_store(out.as_mut_ptr().add(4) as *mut v128, acc[1]);
        }
    }
    out
}

/// A matrix `b` (k x n) laid out for [`tile`]: panels of [`WIDTH`] columns, each
/// `k x WIDTH` row-major (a panel is read contiguously, however long the rows of `b`),
/// the last one padded with zero columns.
pub(crate) struct Panels {
    k: usize,
    n: usize,
    data: Vec<f32>,
}

impl Panels {
    /// Packs `b` (copied to standard layout first if it is not).
    pub fn pack(b: ArrayView2<f32>) -> Self {
        let (k, n) = b.dim();
        let b = b.as_standard_layout();
        let b = b.as_slice().expect("standard layout");
        let panel_len = k * WIDTH;
        let mut data = vec![0.0f32; n.div_ceil(WIDTH) * panel_len];
        for (row, values) in b.chunks_exact(n.max(1)).take(k).enumerate() {
            for (p, chunk) in values.chunks(WIDTH).enumerate() {
                let at = p * panel_len + row * WIDTH;
                data[at..at + chunk.len()].copy_from_slice(chunk);
            }
        }
        Panels { k, n, data }
    }

    /// Rows `depth` of the panel of columns from `col` (a multiple of [`WIDTH`]).
    pub fn panel(&self, col: usize, depth: Range<usize>) -> &[f32] {
        let base = col / WIDTH * self.k * WIDTH;
        &self.data[base + depth.start * WIDTH..base + depth.end * WIDTH]
    }
}

/// `out = a b` (`a` m x k, `b` packed k x n, `out` m x n row-major).
pub(crate) fn product_into(a: ArrayView2<f32>, b: &Panels, out: &mut [f32]) {
    let (m, k, n) = (a.nrows(), a.ncols(), b.n);
    assert_eq!(k, b.k, "inner dimensions differ");
    assert_eq!(out.len(), m * n, "output shape");
    out.fill(0.0);
    if m == 0 || n == 0 {
        return;
    }
    let a = a.as_standard_layout();
    let a = a.as_slice().expect("standard layout");
    tiled_product::<1>(m, |r, d| &a[r * k + d.start..r * k + d.end], b, false, out);
}

/// `a^T a` (`a` k x n) through [`strided_tile`], both operands read from one packing
/// of `a` (the tile's rows are columns of `a`: a panel's entries at stride [`WIDTH`]),
/// the tiles on and above the diagonal computed and mirrored. No transposed copy of
/// `a` is made: for the decoder's `W W^T` with `W^T` stored, and for `H^T H`.
pub(crate) fn tiled_cross(a: ArrayView2<f32>) -> Array2<f32> {
    let n = a.ncols();
    let packed = Panels::pack(a);
    let mut out = Array2::<f32>::zeros((n, n));
    let dst = out.as_slice_mut().expect("fresh array");
    // Column c of a is entry c % WIDTH of its panel's rows.
    let column = |c: usize, d| &packed.panel(c - c % WIDTH, d)[c % WIDTH..];
    tiled_product::<WIDTH>(n, column, &packed, true, dst);
    for i in 0..n {
        for j in 0..i {
            out[[i, j]] = out[[j, i]];
        }
    }
    out
}

/// The tile loop of [`product_into`] and [`tiled_cross`]: `out += A b` for the
/// `m x b.k` left operand `A` whose row `r` over the depths `d` is `row(r, d)`, its
/// entries at stride `STRIDE`; the depth in passes of [`DEPTH`]. With `upper_only`
/// (`A b` symmetric) only the tiles on and above the diagonal.
#[inline(always)]
fn tiled_product<'a, const STRIDE: usize>(
    m: usize,
    row: impl Fn(usize, Range<usize>) -> &'a [f32],
    b: &Panels,
    upper_only: bool,
    out: &mut [f32],
) {
    let (k, n) = (b.k, b.n);
    for start in (0..k).step_by(DEPTH) {
        let depth = start..(start + DEPTH).min(k);
        for col in (0..n).step_by(WIDTH) {
            let panel = b.panel(col, depth.clone());
            let width = (n - col).min(WIDTH);
            let blocks_end = if upper_only { (col + WIDTH).min(m) } else { m };
            for block in (0..blocks_end).step_by(ROWS) {
                let height = (m - block).min(ROWS);
                // Rows past the end repeat the last row (their results are unused).
                let rows: [&[f32]; ROWS] =
                    std::array::from_fn(|i| row(block + i.min(height - 1), depth.clone()));
                let t = strided_tile(&rows, STRIDE, panel, depth.len());
                for (i, t) in t.iter().enumerate().take(height) {
                    let at = (block + i) * n + col;
                    let dst = &mut out[at..at + width];
                    dst.iter_mut().zip(t).for_each(|(d, &v)| *d += v);
                }
            }
        }
    }
}

/// `a b` through [`tile`] (see the module doc).
pub(crate) fn tiled_matmul(a: ArrayView2<f32>, b: ArrayView2<f32>) -> Array2<f32> {
    let mut out = Array2::zeros((a.nrows(), b.ncols()));
    let slice = out.as_slice_mut().expect("fresh array");
    product_into(a, &Panels::pack(b), slice);
    out
}

/// The product `a b`: [`tiled_matmul`] in wasm, ndarray's `dot` elsewhere.
pub(crate) fn matmul(a: ArrayView2<f32>, b: ArrayView2<f32>) -> Array2<f32> {
    if cfg!(target_arch = "wasm32") {
        tiled_matmul(a, b)
    } else {
        a.dot(&b)
    }
}

/// The product `a^T a`: [`tiled_cross`] in wasm, ndarray's `dot` elsewhere.
pub(crate) fn cross(a: ArrayView2<f32>) -> Array2<f32> {
    if cfg!(target_arch = "wasm32") {
        tiled_cross(a)
    } else {
        a.t().dot(&a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::seeded_rng;
    use rand::RngExt;

    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    fn random(rows: usize, cols: usize, seed: u64) -> Array2<f32> {
        let mut rng = seeded_rng(seed);
        Array2::from_shape_fn((rows, cols), |_| rng.random_range(-1.0f32..1.0))
    }

    fn assert_close(a: &Array2<f32>, b: &Array2<f32>, what: &str) {
        assert_eq!(a.dim(), b.dim(), "{what}");
        for (x, y) in a.iter().zip(b) {
            assert!(
                (x - y).abs() <= 1e-5 * (1.0 + y.abs()),
                "{what}: {x} vs {y}"
            );
        }
    }

    /// Products and cross products `a^T a` against ndarray on shapes with partial tiles,
    /// panels and depth passes, from standard and transposed views; natively and in wasm
    /// (the simd128 tile).
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn tiled_products_equal_ndarray() {
        for &(m, k, n) in &[(1, 1, 1), (4, 8, 8), (5, 3, 9), (13, 600, 17), (9, 1100, 3)] {
            let a = random(m, k, 1);
            let b = random(k, n, 2);
            assert_close(&tiled_matmul(a.view(), b.view()), &a.dot(&b), "a b");
            let bt = b.t().to_owned();
            assert_close(&tiled_matmul(a.view(), bt.t()), &a.dot(&b), "a (b^T)^T");
            let at = a.t().to_owned();
            assert_close(&tiled_matmul(at.t(), b.view()), &a.dot(&b), "(a^T)^T b");
            let g = tiled_cross(at.view());
            assert_close(&g, &a.dot(&a.t()), "(a^T)^T a^T");
            assert_eq!(g, g.t());
            assert_close(&tiled_cross(b.view()), &b.t().dot(&b), "b^T b");
            assert_close(&matmul(a.view(), b.view()), &a.dot(&b), "matmul");
            assert_close(&cross(b.view()), &b.t().dot(&b), "cross");
        }
        let empty = Array2::<f32>::zeros((0, 5));
        assert_eq!(
            tiled_matmul(empty.view(), random(5, 3, 3).view()).dim(),
            (0, 3)
        );
        assert_eq!(tiled_cross(empty.view()).dim(), (5, 5));
        assert_eq!(tiled_cross(empty.view()), Array2::<f32>::zeros((5, 5)));
    }
}
