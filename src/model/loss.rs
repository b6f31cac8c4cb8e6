//! Loss terms shared by several models, each returning its value (accumulated in f64)
//! and its gradient with respect to its first argument.

use ndarray::{Array2, ArrayView2, Axis};

/// Balance loss (sec. 4.2, eq. 7): `||F^T 1||^2`, the squared column sums of `f`.
/// Its gradient puts `2 F^T 1` on every row. The paper writes the sum in per-row
/// notation; we read it, as its text says, as balancing each bit over all rows.
pub fn balance_loss(f: ArrayView2<f32>) -> (f64, Array2<f32>) {
    let colsum = f.sum_axis(Axis(0));
    let loss = colsum.iter().map(|&c| (c as f64).powi(2)).sum();
    let grad = Array2::from_shape_fn(f.raw_dim(), |(_, j)| 2.0 * colsum[j]);
    (loss, grad)
}

/// Quantization loss `||sgn(F) - F||^2` (as in DCMH; not in the paper's eq. 7, off by
/// default). Gradient `2 (F - sgn(F))` (sgn(0) = +1, eq. 8).
pub fn quantization_loss(f: ArrayView2<f32>) -> (f64, Array2<f32>) {
    let diff = f.mapv(|v| v - if v >= 0.0 { 1.0 } else { -1.0 });
    let loss = diff.iter().map(|&d| (d as f64).powi(2)).sum();
    (loss, diff * 2.0)
}

/// Reconstruction loss of an autoencoder (eq. 1): `||X - X_hat||^2` over all entries
/// (zeros included); gradient with respect to `x_hat`.
pub fn reconstruction_loss(x_hat: ArrayView2<f32>, x: ArrayView2<f32>) -> (f64, Array2<f32>) {
    let diff = &x_hat - &x;
    let loss = diff.iter().map(|&d| (d as f64).powi(2)).sum();
    (loss, diff * 2.0)
}

/// Bit decorrelation `||F^T F / N - I||^2` (N rows; CFCodeReg's code regulariser),
/// gradient `(4 / N) F (F^T F / N - I)`.
pub fn decorrelation_loss(f: ArrayView2<f32>) -> (f64, Array2<f32>) {
    let n = f.nrows().max(1) as f32;
    let mut c = f.t().dot(&f) / n;
    c.diag_mut().mapv_inplace(|v| v - 1.0);
    let loss = c.iter().map(|&d| (d as f64).powi(2)).sum();
    (loss, f.dot(&c) * (4.0 / n))
}
