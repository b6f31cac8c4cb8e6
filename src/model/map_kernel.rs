//! The all-pairs MAP similarity loss (eq. 6) of a mini-batch, block by block of batch
//! rows, without forming the batch's B x n logit matrix: a block's logits against all
//! of the other side's codes (computed panel by panel in registers) fill a small
//! buffer, which one pass per row ([`fastmath::softplus_row`], every pair taken as
//! unrated, then the row's rated pairs corrected) turns into the loss and gradient
//! weights, and from which the block's gradient `G other` is accumulated while it is
//! still in cache.
//!
//! Both products (a block of [`ROWS`] batch rows by a panel of [`PANEL`] other rows for
//! the logits; the gradient [`LANES`] coordinates at a time) run the register tile of
//! [`crate::nn::matmul`] (simd128 intrinsics in wasm, this being the training's hottest
//! code there; fixed-size array loops elsewhere, which the whole kernel compiles to
//! AVX2 when the CPU has it) on the other side's codes packed once per pass
//! ([`PackedCodes`]). The test below runs natively and in wasm (`wasm-pack test`).
//! Measured gain in BENCHMARKS.md (third pass).

use ndarray::{Array2, ArrayView2};

use crate::nn::fastmath;
use crate::nn::matmul::{tile, Panels, ROWS, WIDTH};
use crate::sparse::Csr;

/// Other-side rows per panel (the logits of a block and a panel are `ROWS x PANEL`).
const PANEL: usize = WIDTH;
/// Code coordinates per step of the gradient product.
const LANES: usize = WIDTH;

/// The other side's codes (n x r), laid out for the kernel's tiles: `other^T` in
/// panels of [`PANEL`] other rows (`r x PANEL` each) for the logits, and `other` in
/// panels of [`LANES`] coordinates (`n x LANES` each, `r` padded with zeros) for the
/// gradient product, so that every tile reads contiguous memory.
pub(crate) struct PackedCodes {
    n: usize,
    r: usize,
    for_logits: Panels,
    for_gradient: Panels,
}

impl PackedCodes {
    pub fn new(other: ArrayView2<f32>) -> Self {
        PackedCodes {
            n: other.nrows(),
            r: other.ncols(),
            for_logits: Panels::pack(other.t()),
            for_gradient: Panels::pack(other),
        }
    }

    fn n_panels(&self) -> usize {
        self.n.div_ceil(PANEL)
    }
}

/// The pairs' labels and weights of eq. 6: `S` rows (stored entries are the rated pairs,
/// label 0 or 1, weight 1); every other pair has label 0 and `unrated_weight`.
pub(crate) struct PairLabels<'a> {
    pub s: &'a Csr,
    pub unrated_weight: f32,
}

/// The rated pairs of one batch row: their logits, gathered before the row pass
/// overwrites them, and their softplus and sigmoid.
#[derive(Default)]
struct RatedPairs {
    logits: Vec<f32>,
    softplus: Vec<f32>,
    sigmoid: Vec<f32>,
}

impl RatedPairs {
    fn gather(&mut self, cols: &[u32], logits: &[f32]) {
        self.logits.clear();
        self.logits.extend(cols.iter().map(|&j| logits[j as usize]));
    }

    /// Turns the row pass's unrated loss and gradient weight of the gathered pairs
    /// (columns `cols`, labels `s`) into the rated ones: weight 1, label `s`. Returns
    /// the loss to add.
    fn correct(
        &mut self,
        cols: &[u32],
        s: &[f32],
        grad: &mut [f32],
        unrated: f32,
        scale: f32,
    ) -> f64 {
        let m = self.logits.len();
        self.softplus.resize(m, 0.0);
        self.sigmoid.resize(m, 0.0);
        fastmath::softplus_sigmoid_into(&self.logits, &mut self.softplus, &mut self.sigmoid);
        let mut loss = 0.0f64;
        for (k, (&j, &s)) in cols.iter().zip(s).enumerate() {
            let (x, softplus, sigmoid) = (self.logits[k], self.softplus[k], self.sigmoid[k]);
            loss += ((1.0 - unrated) * softplus - s * x) as f64;
            grad[j as usize] = scale * (sigmoid - s);
        }
        loss
    }
}

/// Loss `sum_(a in rows, b) w_ab (softplus(theta_ab) - S_ab theta_ab)` with logits
/// `theta_ab = scale <h_a, o_b>` over all rows `o_b` of `other`, and its gradient with
/// respect to `h`: `sum_b w_ab scale (sigmoid(theta_ab) - S_ab) o_b` (eq. 6, weighted;
/// see `ccsr::weighted_similarity_loss`, the dense reference). Row `k` of `h` belongs
/// to row `rows[k]` of the labels. Each row's loss is summed in f64 (its softplus terms
/// as in [`fastmath::softplus_row`]).
pub(crate) fn map_similarity(
    h: ArrayView2<f32>,
    rows: &[usize],
    other: &PackedCodes,
    labels: &PairLabels,
    scale: f32,
) -> (f64, Array2<f32>) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2.
        return unsafe { map_similarity_avx2(h, rows, other, labels, scale) };
    }
    map_similarity_portable(h, rows, other, labels, scale)
}

/// [`map_similarity`] compiled for AVX2 (eight-float vectors), chosen at run time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn map_similarity_avx2(
    h: ArrayView2<f32>,
    rows: &[usize],
    other: &PackedCodes,
    labels: &PairLabels,
    scale: f32,
) -> (f64, Array2<f32>) {
    map_similarity_portable(h, rows, other, labels, scale)
}

#[inline(always)]
fn map_similarity_portable(
    h: ArrayView2<f32>,
    rows: &[usize],
    other: &PackedCodes,
    labels: &PairLabels,
    scale: f32,
) -> (f64, Array2<f32>) {
    let (batch, r) = h.dim();
    assert_eq!(r, other.r, "codes of both sides have length r");
    assert_eq!(rows.len(), batch, "one label row per batch row");
    let n = other.n;
    let n_pad = other.n_panels() * PANEL;
    let unrated = labels.unrated_weight;
    // The block's logits, overwritten by the gradient weights.
    let mut theta = vec![0.0f32; ROWS * n_pad];
    let mut scratch = vec![0.0f32; 2 * n];
    let mut rated = RatedPairs::default();
    let mut grad = Array2::<f32>::zeros((batch, r));
    let mut loss = 0.0f64;
    let h = h.as_standard_layout();
    let h = h.as_slice().expect("standard layout");
    for block in (0..batch).step_by(ROWS) {
        let height = (batch - block).min(ROWS);
        let block_rows = &rows[block..block + height];
        // Rows past the batch's end repeat its last row (their results are unused).
        let codes: [&[f32]; ROWS] = std::array::from_fn(|i| {
            let a = block + i.min(height - 1);
            &h[a * r..(a + 1) * r]
        });
        for p in 0..other.n_panels() {
            let panel = other.for_logits.panel(p * PANEL, 0..r);
            let mut strips = theta.chunks_exact_mut(n_pad);
            let out: [&mut [f32]; ROWS] = std::array::from_fn(|_| {
                &mut strips.next().expect("ROWS strips")[p * PANEL..(p + 1) * PANEL]
            });
            block_logits(&codes, panel, scale, out);
        }
        for (i, &row) in block_rows.iter().enumerate() {
            let strip = &mut theta[i * n_pad..i * n_pad + n];
            let (cols, s) = labels.s.row(row);
            rated.gather(cols, strip);
            // Every pair as unrated (label 0, weight `unrated`), then the rated ones
            // corrected to label `s` and weight 1.
            let softplus_sum = fastmath::softplus_row(strip, unrated * scale, &mut scratch);
            loss += unrated as f64 * softplus_sum;
            loss += rated.correct(cols, s, strip, unrated, scale);
        }
        let out = grad.as_slice_mut().expect("fresh array");
        gradient_rows(
            &theta,
            n_pad,
            other,
            &mut out[block * r..(block + height) * r],
            height,
        );
    }
    (loss, grad)
}

/// `scale <codes[i], panel column j>` for a block of rows and a panel (`r x PANEL`,
/// coordinate-major), written to `out[i][..PANEL]`.
#[inline(always)]
fn block_logits(codes: &[&[f32]; ROWS], panel: &[f32], scale: f32, out: [&mut [f32]; ROWS]) {
    let logits = tile(codes, panel, panel.len() / WIDTH);
    for (row, out) in logits.iter().zip(out) {
        for (o, &v) in out.iter_mut().zip(row) {
            *o = scale * v;
        }
    }
}

/// `out[i] = sum_b g[i, b] o_b` for the block's `height` rows (`out` is `height x r`),
/// [`LANES`] code coordinates at a time.
#[inline(always)]
fn gradient_rows(g: &[f32], n_pad: usize, other: &PackedCodes, out: &mut [f32], height: usize) {
    let (n, r) = (other.n, other.r);
    let g: [&[f32]; ROWS] = std::array::from_fn(|i| &g[i * n_pad..i * n_pad + n]);
    for c in (0..r).step_by(LANES) {
        let acc = tile(&g, other.for_gradient.panel(c, 0..n), n);
        let width = (r - c).min(LANES);
        for (i, row) in acc.iter().enumerate().take(height) {
            out[i * r + c..i * r + c + width].copy_from_slice(&row[..width]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{seeded_rng, SeededRng};
    use crate::model::ccsr::weighted_similarity_loss;
    use rand::RngExt;

    fn random(rows: usize, cols: usize, rng: &mut SeededRng) -> Array2<f32> {
        Array2::from_shape_fn((rows, cols), |_| rng.random_range(-1.0f32..1.0))
    }

    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    /// Against the dense reference (std exp/ln, dense S and W) on shapes that leave
    /// partial blocks, panels and lanes; in wasm too (the simd128 loops), by
    /// `wasm-pack test`.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn equals_the_dense_reference() {
        let mut rng = seeded_rng(7);
        for &(batch, n, r, scale, unrated) in &[
            (13usize, 37usize, 5usize, 1.0f32, 1.0f32),
            (8, 16, 8, 0.3, 0.01),
            (3, 29, 40, 1.0, 0.0),
            (9, 40, 17, 2.0, 0.5),
        ] {
            let h = random(batch, r, &mut rng) * 2.0;
            let other = random(n, r, &mut rng);
            let n_label_rows = batch + 3;
            let mut picks = Vec::new();
            for a in 0..n_label_rows {
                for b in 0..n {
                    if rng.random_range(0.0..1.0) < 0.2 {
                        picks.push((a, b, (rng.random_range(0.0..1.0) < 0.5) as u8 as f32));
                    }
                }
            }
            let s = Csr::from_triplets(n_label_rows, n, picks);
            let rows: Vec<usize> = (0..batch).map(|k| (k * 5 + 2) % n_label_rows).collect();
            let batch_s = s.select_rows(&rows);
            let dense_s = batch_s.to_dense();
            let dense_w = batch_s
                .map(|_| 1.0)
                .to_dense()
                .mapv(|rated| rated + (1.0 - rated) * unrated);
            let (expected, expected_grad) = weighted_similarity_loss(
                h.view(),
                other.view(),
                dense_s.view(),
                Some(dense_w.view()),
                scale,
            );
            let labels = PairLabels {
                s: &s,
                unrated_weight: unrated,
            };
            let (loss, grad) = map_similarity(
                h.view(),
                &rows,
                &PackedCodes::new(other.view()),
                &labels,
                scale,
            );
            assert!(
                (loss - expected).abs() <= 1e-5 * expected.abs().max(1.0),
                "{batch}x{n}x{r}: {loss} vs {expected}"
            );
            assert_eq!(grad.dim(), expected_grad.dim());
            for (a, b) in grad.iter().zip(&expected_grad) {
                assert!((a - b).abs() <= 1e-5 * (1.0 + b.abs()), "{a} vs {b}");
            }
        }
    }
}
