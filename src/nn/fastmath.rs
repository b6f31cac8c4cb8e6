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
    // pairs (Estrin) for a shorter dependency chain than Horner's:
    // (1 + r + r^2 p01) + r^4 (p23 + r^2 p45).
    let r2 = r * r;
    let r4 = r2 * r2;
    let p01 = 0.5 + 1.666_666_5e-1 * r;
    let p23 = 4.166_579_6e-2 + 8.333_452e-3 * r;
    let p45 = 1.398_199_9e-3 + 1.987_569_2e-4 * r;
    let e_r = ((1.0 + r) + r2 * p01) + r4 * (p23 + r2 * p45);
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

/// Lanes of [`log_product`]: one AVX2 vector, two simd128 vectors.
const LANES: usize = 8;
/// Steps of [`log_product`] between renormalisations of its lane products: a product
/// starts below 2 and each factor is at most 2, so it stays below 2^65 (f32 reaches
/// 2^128).
const STEPS_PER_RENORM: usize = 64;

/// The softplus sum of one row of logits for the MAP similarity loss (eq. 6), every
/// pair taken as unrated (label 0): returns `sum_b softplus(theta_b)` and overwrites
/// `theta_b` with `grad_scale sigmoid(theta_b)`. `scratch` holds at least
/// `2 theta.len()` floats.
///
/// `softplus(x) = max(x, 0) + ln(1 + e)` with `e = exp(-|x|)`, and the row's
/// logarithms are summed as the logarithm of their product (`log_product`) of the
/// factors `f = fl(1 + e)`, plus the rounding of each, `ln(1 + e) - ln(f) ~ (e - (f -
/// 1)) / f` (exact numerator, Fast2Sum). So the pass needs one exp and one division per
/// pair and no logarithm series; the sum's error is f32 rounding per pair (tested
/// against f64). The pass writes `max(x, 0)` plus the rounding and `f` to `scratch`
/// (a loop that vectorises; the sums after it run in lanes).
#[inline(always)]
pub fn softplus_row(theta: &mut [f32], grad_scale: f32, scratch: &mut [f32]) -> f64 {
    let n = theta.len();
    let (linear, factors) = scratch[..2 * n].split_at_mut(n);
    for ((t, l), f) in theta
        .iter_mut()
        .zip(linear.iter_mut())
        .zip(factors.iter_mut())
    {
        let x = *t;
        let e = exp_nonpositive(-x.abs());
        let factor = 1.0 + e;
        let q = 1.0 / factor;
        *t = grad_scale * (if x < 0.0 { e } else { 1.0 }) * q;
        *f = factor;
        *l = (if x > 0.0 { x } else { 0.0 }) + (e - (factor - 1.0)) * q;
    }
    sum_f64(linear) + log_product(factors)
}

/// `sum_b ln(f_b)` for factors in [1, 2] (or NaN), from lane products of the factors
/// whose binary exponents are moved out every [`STEPS_PER_RENORM`] steps; one f64
/// logarithm per lane at the end.
#[inline(always)]
fn log_product(factors: &[f32]) -> f64 {
    let mut product = [1.0f32; LANES];
    let mut exponent = 0i64;
    let runs = factors.chunks_exact(LANES * STEPS_PER_RENORM);
    let rest = runs.remainder();
    let multiply = |product: &mut [f32; LANES], run: &[f32]| {
        for chunk in run.chunks_exact(LANES) {
            for (p, &f) in product.iter_mut().zip(chunk) {
                *p *= f;
            }
        }
    };
    for run in runs {
        multiply(&mut product, run);
        // A NaN stays in, to come out.
        for p in product.iter_mut().filter(|p| !p.is_nan()) {
            let bits = p.to_bits();
            exponent += ((bits >> 23) & 0xff) as i64 - 127;
            *p = f32::from_bits((bits & 0x807f_ffff) | 0x3f80_0000);
        }
    }
    // Fewer than STEPS_PER_RENORM steps left: no overflow.
    multiply(&mut product, rest);
    let lanes: f64 = product.iter().map(|&p| (p as f64).ln()).sum();
    let tail: f64 = rest
        .chunks_exact(LANES)
        .remainder()
        .iter()
        .map(|&f| (f as f64).ln())
        .sum();
    lanes + tail + exponent as f64 * std::f64::consts::LN_2
}

/// `out[k] = softplus_sigmoid(x[k])` over a slice (a loop that vectorises).
#[inline(always)]
pub fn softplus_sigmoid_into(x: &[f32], softplus: &mut [f32], sigmoid: &mut [f32]) {
    for ((&x, sp), sig) in x.iter().zip(softplus.iter_mut()).zip(sigmoid.iter_mut()) {
        (*sp, *sig) = softplus_sigmoid(x);
    }
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

/// `sum_k a[k] b[k]`, the f32 products accumulated in f64 (eight lanes, so that it
/// vectorises); `a` and `b` have the same length.
#[inline(always)]
pub fn dot_f64(a: &[f32], b: &[f32]) -> f64 {
    assert_eq!(a.len(), b.len(), "dot of equal lengths");
    let mut lanes = [0.0f64; 8];
    let (chunks_a, chunks_b) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f64 = chunks_a
        .remainder()
        .iter()
        .zip(chunks_b.remainder())
        .map(|(&x, &y)| (x * y) as f64)
        .sum();
    for (ca, cb) in chunks_a.zip(chunks_b) {
        for ((acc, &x), &y) in lanes.iter_mut().zip(ca).zip(cb) {
            *acc += (x * y) as f64;
        }
    }
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

    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    /// The row pass against f64 on logits of every magnitude: small, around the
    /// exponent renormalisation, saturated (where `1 + e` rounds to 1), and a tail;
    /// natively and in wasm (the loop as LLVM vectorises it for simd128).
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn softplus_row_matches_f64() {
        for (n, spread) in [
            (37usize, 7.0f32),
            (8 * 64 * 3 + 5, 3.0),
            (3615, 20.0),
            (1000, 60.0),
        ] {
            let theta: Vec<f32> = (0..n)
                .map(|i| ((i * 7919 % n) as f32 / n as f32 - 0.6) * 2.0 * spread)
                .collect();
            let mut g = theta.clone();
            let mut scratch = vec![0.0; 2 * n];
            let sum = softplus_row(&mut g, 0.5, &mut scratch);
            let mut expected = 0.0f64;
            for (b, &x) in theta.iter().enumerate() {
                let x = x as f64;
                expected += x.max(0.0) + (-x.abs()).exp().ln_1p();
                let sigmoid = 1.0 / (1.0 + (-x).exp());
                assert!(
                    (g[b] as f64 - 0.5 * sigmoid).abs() <= 4e-7 * sigmoid,
                    "{n} {b}"
                );
            }
            assert!(
                (sum - expected).abs() <= 1e-7 * expected,
                "{n} x {spread}: {sum} vs {expected}"
            );
        }
        // Only saturated negative logits: the whole sum is the rounding terms.
        let mut g = vec![-20.0f32; 4096];
        let expected = 4096.0 * (-20.0f64).exp().ln_1p();
        let sum = softplus_row(&mut g, 1.0, &mut vec![0.0; 8192]);
        assert!(
            (sum - expected).abs() <= 1e-6 * expected,
            "{sum} vs {expected}"
        );
        let mut g = vec![0.5f32, f32::NAN, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        assert!(softplus_row(&mut g, 1.0, &mut [0.0; 18]).is_nan());
        assert_eq!(sum_f64(&[1.0; 19]), 19.0);
        let (a, b): (Vec<f32>, Vec<f32>) = (0..19).map(|k| (k as f32, 0.5 - k as f32)).unzip();
        let expected: f64 = (0..19).map(|k| k as f64 * (0.5 - k as f64)).sum();
        assert_eq!(dot_f64(&a, &b), expected);
        let (mut sp, mut sig) = ([0.0; 3], [0.0; 3]);
        softplus_sigmoid_into(&[-1.0, 0.0, 2.0], &mut sp, &mut sig);
        assert_eq!(
            (sp[2], sig[0]),
            (softplus_sigmoid(2.0).0, softplus_sigmoid(-1.0).1)
        );
    }
}
