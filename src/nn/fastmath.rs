//! Fast element-wise maths for the MAP similarity loss (eq. 6), which evaluates a
//! softplus and a sigmoid on every user-item pair of every epoch.
//!
//! std's `exp`/`ln_1p` are scalar library calls (24-30 ns per element in wasm); these
//! are straight-line polynomials with no branches and no `f32::max` (whose NaN rules
//! block simd128 vectorisation; plain comparisons become selects), so loops over them
//! vectorise natively and in wasm. Relative error below 4e-7 (tested against f64).

use std::f32::consts::LOG2_E;

/// ln 2 split so that `n * LN2_HI` is exact for |n| < 2^9 (Cody-Waite; Cephes `expf`).
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;
/// 1.5 * 2^23 + 127: adding it to `y log2(e)` rounds to an integer `n` held in the low
/// mantissa bits as `n + 127`, the biased exponent of 2^n.
const ROUND_BIAS: f32 = 12_582_912.0 + 127.0;
/// Below this `exp` is clamped (2^-126 is the smallest normal float).
const EXP_MIN: f32 = -87.0;

/// `exp(y)` for `y <= 0`; `exp(-87)` ~ 1.6e-38 for anything smaller. NaN stays NaN.
#[inline(always)]
pub fn exp_nonpositive(y: f32) -> f32 {
    let y = if y < EXP_MIN { EXP_MIN } else { y };
    let t = y * LOG2_E + ROUND_BIAS;
    let n = t - ROUND_BIAS;
    let r = y - n * LN2_HI - n * LN2_LO;
    // Cephes expf on |r| <= ln(2) / 2: 1 + r + r^2 p(r), p of degree 5, evaluated in
    // pairs (Estrin) for a shorter dependency chain than Horner's.
    let r2 = r * r;
    let r4 = r2 * r2;
    let p01 = 0.5 + 1.666_666_5e-1 * r;
    let p23 = 4.166_579_6e-2 + 8.333_452e-3 * r;
    let p45 = 1.398_199_9e-3 + 1.987_569_2e-4 * r;
    let p = p01 + r2 * p23 + r4 * p45;
    let e_r = (1.0 + r) + r2 * p;
    // 2^n from the biased exponent in t's low mantissa bits.
    e_r * f32::from_bits(t.to_bits() << 23)
}

/// `(softplus(x), sigmoid(x))` = `(ln(1 + e^x), 1 / (1 + e^-x))` from one `exp(-|x|)`:
/// softplus = `max(x, 0) + ln(1 + e)` with `ln(1 + e) = 2 atanh(e / (2 + e))` (a series
/// in `z^2 <= 1/9`), sigmoid = `1 / (1 + e)` for `x >= 0`, `e / (1 + e)` below; both
/// quotients from one reciprocal `1 / ((1 + e) (2 + e))` (a division is the slowest
/// vector operation here).
#[inline(always)]
pub fn softplus_sigmoid(x: f32) -> (f32, f32) {
    let e = exp_nonpositive(-x.abs());
    let (one_e, two_e) = (1.0 + e, 2.0 + e);
    let q = 1.0 / (one_e * two_e);
    let sigmoid = (if x < 0.0 { e } else { 1.0 }) * two_e * q;
    let z = e * one_e * q;
    let w = z * z;
    let w2 = w * w;
    let w4 = w2 * w2;
    // 1 + w/3 + w^2/5 + ... + w^6/13, in pairs (Estrin).
    let s01 = 1.0 + w * (1.0 / 3.0);
    let s23 = 1.0 / 5.0 + w * (1.0 / 7.0);
    let s45 = 1.0 / 9.0 + w * (1.0 / 11.0);
    let s = s01 + w2 * s23 + w4 * (s45 + w2 * (1.0 / 13.0));
    let log1p_e = 2.0 * z * s;
    let softplus = (if x > 0.0 { x } else { 0.0 }) + log1p_e;
    (softplus, sigmoid)
}

/// `tanh(x)`: `sign(x) (1 - e) / (1 + e)` with `e = exp(-2|x|)` for `|x| >= 0.125`, an
/// odd Taylor polynomial below (where `1 - e` would cancel). Branch-free, so loops over
/// it vectorise; relative error below 1e-6 (tested against f64). NaN stays NaN.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    let a = x.abs();
    let e = exp_nonpositive(-2.0 * a);
    let big = (1.0 - e) / (1.0 + e);
    let w = x * x;
    let p = -1_382.0 / 155_925.0;
    let p = p * w + 62.0 / 2_835.0;
    let p = p * w - 17.0 / 315.0;
    let p = p * w + 2.0 / 15.0;
    let p = p * w - 1.0 / 3.0;
    let small = a + a * w * p;
    let t = if a < 0.125 { small } else { big };
    if x < 0.0 {
        -t
    } else {
        t
    }
}

/// `v = tanh(scale v)` for every element (see [`tanh`]).
pub fn tanh_in_place(v: &mut [f32], scale: f32) {
    v.iter_mut().for_each(|x| *x = tanh(scale * *x));
}

/// One row of the weighted MAP similarity loss (eq. 6; see
/// `model::ccsr::weighted_similarity_loss`): `theta` holds the logits, `s` the labels
/// and `w` the pair weights. Returns `sum_b w_b (softplus(theta_b) - s_b theta_b)` and
/// overwrites `theta_b` with the gradient weight `w_b scale (sigmoid(theta_b) - s_b)`.
/// `scratch` (same length) receives the per-pair losses.
#[inline(always)]
pub fn map_similarity_row(
    theta: &mut [f32],
    s: &[f32],
    w: &[f32],
    scale: f32,
    scratch: &mut [f32],
) -> f64 {
    let n = theta.len();
    let (s, w, scratch) = (&s[..n], &w[..n], &mut scratch[..n]);
    for (((t, &s), &w), l) in theta.iter_mut().zip(s).zip(w).zip(scratch.iter_mut()) {
        let x = *t;
        let (softplus, sigmoid) = softplus_sigmoid(x);
        *l = w * (softplus - s * x);
        *t = w * scale * (sigmoid - s);
    }
    sum_f64(scratch)
}

/// The sum of `v` accumulated in f64 (eight lanes, so that it vectorises).
#[inline(always)]
pub fn sum_f64(v: &[f32]) -> f64 {
    let mut lanes = [0.0f64; 8];
    let chunks = v.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (acc, &x) in lanes.iter_mut().zip(chunk) {
            *acc += x as f64;
        }
    }
    let tail: f64 = rest.iter().map(|&x| x as f64).sum();
    lanes.iter().sum::<f64>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f32, b: f64) -> f64 {
        if b == 0.0 {
            a.abs() as f64
        } else {
            ((a as f64 - b) / b).abs()
        }
    }

    /// Every 1e-4 step over [-87, 87] plus the special points.
    fn grid() -> impl Iterator<Item = f32> {
        (-870_000..=870_000)
            .map(|i| i as f32 * 1e-4)
            .chain([0.0, -0.0, 1e-30, -1e-30, 20.0, -20.0])
    }

    #[test]
    fn exp_is_accurate_on_the_nonpositive_axis() {
        let worst = grid()
            .filter(|&y| y <= 0.0)
            .map(|y| rel(exp_nonpositive(y), (y as f64).exp()))
            .fold(0.0, f64::max);
        assert!(worst < 4e-7, "worst relative error {worst:e}");
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert!(exp_nonpositive(-1e4) > 0.0 && exp_nonpositive(-1e4) < 2e-38);
        assert!(exp_nonpositive(f32::NAN).is_nan());
    }

    #[test]
    fn softplus_and_sigmoid_are_accurate() {
        let mut worst = (0.0f64, 0.0f64);
        for x in grid() {
            let (sp, sig) = softplus_sigmoid(x);
            let xd = x as f64;
            let sp_exact = xd.max(0.0) + (-xd.abs()).exp().ln_1p();
            let sig_exact = 1.0 / (1.0 + (-xd).exp());
            worst.0 = worst.0.max(rel(sp, sp_exact));
            worst.1 = worst.1.max(rel(sig, sig_exact));
        }
        assert!(worst.0 < 4e-7 && worst.1 < 4e-7, "worst {worst:?}");
        let (sp, sig) = softplus_sigmoid(f32::NAN);
        assert!(sp.is_nan() && sig.is_nan());
        assert_eq!(softplus_sigmoid(f32::INFINITY).0, f32::INFINITY);
    }

    #[test]
    fn tanh_is_accurate() {
        let worst = grid()
            .chain((-20_000..=20_000).map(|i| i as f32 * 1e-5))
            .map(|x| rel(tanh(x), (x as f64).tanh()))
            .fold(0.0, f64::max);
        assert!(worst < 1e-6, "worst relative error {worst:e}");
        assert_eq!(tanh(0.0), 0.0);
        assert_eq!(tanh(100.0), 1.0);
        assert_eq!(tanh(-1e30), -1.0);
        assert!(tanh(f32::NAN).is_nan());
        let mut v = vec![0.3f32, -2.0, 0.01];
        tanh_in_place(&mut v, 2.0);
        assert_eq!(v, vec![tanh(0.6), tanh(-4.0), tanh(0.02)]);
    }

    #[test]
    fn row_matches_the_formula() {
        let theta: Vec<f32> = (0..37).map(|i| (i as f32 - 18.0) * 0.7).collect();
        let s: Vec<f32> = (0..37).map(|i| (i % 3 == 0) as u8 as f32).collect();
        let w: Vec<f32> = (0..37)
            .map(|i| if i % 2 == 0 { 1.0 } else { 0.1 })
            .collect();
        let mut g = theta.clone();
        let mut scratch = vec![0.0; 37];
        let loss = map_similarity_row(&mut g, &s, &w, 0.5, &mut scratch);
        let mut expected = 0.0f64;
        for b in 0..37 {
            let x = theta[b] as f64;
            let (w, s) = (w[b] as f64, s[b] as f64);
            expected += w * (x.max(0.0) + (-x.abs()).exp().ln_1p() - s * x);
            let grad = w * 0.5 * (1.0 / (1.0 + (-x).exp()) - s);
            assert!((g[b] as f64 - grad).abs() < 1e-6, "{b}");
        }
        assert!(
            (loss - expected).abs() < 1e-5 * expected.abs(),
            "{loss} {expected}"
        );
        assert_eq!(sum_f64(&[1.0; 19]), 19.0);
    }
}
