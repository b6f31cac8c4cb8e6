//! Loss terms shared by several models, each returning its value (accumulated in f64)
//! and its gradient with respect to its first argument.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

use crate::nn::fastmath::dot_f64;
use crate::nn::matmul::{cross, matmul};
use crate::sparse::Csr;

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

/// [`reconstruction_loss`] of the output `X_hat = H W + 1 b^T` of a linear layer (the
/// decoder's last, eq. 1) against a sparse `X` (B x n), computed exactly without forming
/// the dense B x n reconstruction, by expanding the square:
///
/// `||X - H W - 1 b^T||^2 = ||X||^2 - 2 <X, H W> - 2 <X, 1 b^T> + <H^T H, W W^T>
///   + 2 (H^T 1).(W b) + B ||b||^2`
///
/// and likewise its gradients (with respect to `H`, `W` and `b`):
/// `dH = 2 (H W W^T + 1 (W b)^T - X W^T)`, `dW = 2 (H^T H W + (H^T 1) b^T - H^T X)`,
/// `db = 2 (W^T H^T 1 + B b - X^T 1)`. The cost is `O(nnz h + h^2 n)` instead of the
/// three `B h n` products of the dense form. Being a difference of larger terms, the
/// loss carries f32 rounding relative to `||X||^2 + ||H W + 1 b^T||^2`. Every product
/// reads `W^T`: stored column-major ([`crate::nn::Linear::store_column_major`]), `W`
/// is read in place and `dW` comes out column-major too, without transposed copies.
pub fn linear_reconstruction_loss(
    h: ArrayView2<f32>,
    w: ArrayView2<f32>,
    b: ArrayView1<f32>,
    x: &Csr,
) -> LinearReconstruction {
    let (rows, n) = (h.nrows(), w.ncols());
    assert_eq!((x.n_rows(), x.n_cols()), (rows, n), "X must be B x n");
    let w_t = w.t();
    let w_t = w_t.as_standard_layout();
    let x_wt = x.dot(w_t.view());
    let ww = cross(w_t.view());
    let hth = cross(h);
    let h_sum = h.sum_axis(Axis(0));
    // W b as a sum of W^T's rows (ndarray's product of the column-major view is slow).
    let mut wb = Array1::<f32>::zeros(h.ncols());
    for (row, &b_j) in w_t.rows().into_iter().zip(&b) {
        wb.scaled_add(b_j, &row);
    }
    let (mut x_sq, mut x_b, mut x_col) = (0.0f64, 0.0f64, Array1::<f32>::zeros(n));
    for i in 0..rows {
        let (cols, vals) = x.row(i);
        for (&j, &v) in cols.iter().zip(vals) {
            x_sq += (v as f64) * (v as f64);
            x_b += (v * b[j as usize]) as f64;
            x_col[j as usize] += v;
        }
    }
    let dot64 = |a: ArrayView2<f32>, c: ArrayView2<f32>| -> f64 {
        let (a, c) = (a.as_standard_layout(), c.as_standard_layout());
        dot_f64(
            a.as_slice().expect("standard"),
            c.as_slice().expect("standard"),
        )
    };
    let x_hw = dot64(h, x_wt.view());
    let hw_sq = dot64(hth.view(), ww.view())
        + 2.0
            * h_sum
                .iter()
                .zip(&wb)
                .map(|(&p, &q)| (p * q) as f64)
                .sum::<f64>()
        + rows as f64 * b.iter().map(|&v| (v as f64).powi(2)).sum::<f64>();
    let loss = x_sq - 2.0 * x_hw - 2.0 * x_b + hw_sq;

    let mut d_h = matmul(h, ww.view());
    d_h += &wb;
    d_h -= &x_wt;
    d_h *= 2.0;
    // dW^T = 2 (W^T H^T H + b (H^T 1)^T - X^T H) (H^T H is symmetric), in the layout
    // of X^T H and W^T: dW column-major.
    let mut d_w_t = matmul(w_t.view(), hth.view());
    for (mut row, &b_j) in d_w_t.rows_mut().into_iter().zip(&b) {
        row.scaled_add(b_j, &h_sum);
    }
    d_w_t -= &x.t_dot(h);
    d_w_t *= 2.0;
    let d_w = d_w_t.reversed_axes();
    let mut d_b = w_t.dot(&h_sum);
    d_b.scaled_add(rows as f32, &b);
    d_b -= &x_col;
    d_b *= 2.0;
    LinearReconstruction {
        loss,
        d_h,
        d_w,
        d_b,
    }
}

/// The value and gradients of [`linear_reconstruction_loss`].
#[derive(Clone, Debug)]
pub struct LinearReconstruction {
    pub loss: f64,
    /// With respect to the layer input H (B x h).
    pub d_h: Array2<f32>,
    /// With respect to the weights W (h x n), column-major.
    pub d_w: Array2<f32>,
    /// With respect to the bias b (n).
    pub d_b: Array1<f32>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    /// The expanded reconstruction loss and its gradients equal the dense form (to f32
    /// rounding) on random H, W, b and a random sparse X.
    #[test]
    fn expanded_reconstruction_matches_dense() {
        let mut rng = crate::data::seeded_rng(5);
        let (rows, hidden, n) = (13, 9, 57);
        let mut u = |scale: f32| scale * (2.0 * rng.random::<f32>() - 1.0);
        let h = Array2::from_shape_fn((rows, hidden), |_| u(1.0));
        let w = Array2::from_shape_fn((hidden, n), |_| u(0.3));
        let b = Array1::from_shape_fn(n, |_| u(0.2));
        let triplets: Vec<(usize, usize, f32)> = (0..rows * n)
            .filter(|k| k % 7 == 3 || k % 11 == 0)
            .map(|k| (k / n, k % n, 0.1 * (1 + k % 5) as f32))
            .collect();
        let x = Csr::from_triplets(rows, n, triplets);
        assert!(x.nnz() > 100 && x.nnz() < rows * n / 3);

        let x_hat = h.dot(&w) + &b;
        let (loss, d_out) = reconstruction_loss(x_hat.view(), x.to_dense().view());
        let d_h = d_out.dot(&w.t());
        let d_w = h.t().dot(&d_out);
        let d_b = d_out.sum_axis(Axis(0));

        let fast = linear_reconstruction_loss(h.view(), w.view(), b.view(), &x);
        // The same with W stored column-major, as the decoder keeps it.
        let w_f = w.t().as_standard_layout().into_owned().reversed_axes();
        let fast_f = linear_reconstruction_loss(h.view(), w_f.view(), b.view(), &x);
        assert_eq!(fast_f.loss, fast.loss);
        assert_eq!(fast_f.d_w, fast.d_w);
        assert!(!fast.d_w.is_standard_layout());
        assert!(
            (fast.loss - loss).abs() < 1e-5 * loss,
            "{} vs {loss}",
            fast.loss
        );
        let close = |a: &[f32], e: &[f32], what: &str| {
            let top = e.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            for (k, (p, q)) in a.iter().zip(e).enumerate() {
                assert!((p - q).abs() <= 2e-6 * top, "{what}[{k}]: {p} vs {q}");
            }
        };
        close(fast.d_h.as_slice().unwrap(), d_h.as_slice().unwrap(), "dH");
        let fast_d_w = fast.d_w.as_standard_layout();
        close(fast_d_w.as_slice().unwrap(), d_w.as_slice().unwrap(), "dW");
        close(fast.d_b.as_slice().unwrap(), d_b.as_slice().unwrap(), "db");
    }
}
