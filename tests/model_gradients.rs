//! Every loss's analytic gradient against central finite differences (f64 accumulation
//! inside the losses, f32 inputs), and backpropagation through an MLP with sparse
//! input, tanh and dropout.

use ccsr::data::seeded_rng;
use ccsr::model::{
    affinity_loss, balance_loss, code_rating_loss, decorrelation_loss, quantization_loss,
    rating_loss, reconstruction_loss, similarity_loss,
};
use ccsr::nn::{Activation, Input, Mlp};
use ccsr::sparse::Csr;
use ndarray::{Array2, ArrayView2};
use rand::RngExt;

fn random(rows: usize, cols: usize, seed: u64) -> Array2<f32> {
    let mut rng = seeded_rng(seed);
    Array2::from_shape_fn((rows, cols), |_| 2.0 * rng.random::<f32>() - 1.0)
}

/// Checks `grad` against central differences of `loss` at `x`.
fn check(x: &Array2<f32>, grad: &Array2<f32>, loss: impl Fn(ArrayView2<f32>) -> f64) {
    let eps = 1e-2f32;
    for idx in ndarray::indices(x.raw_dim()) {
        let mut plus = x.clone();
        plus[idx] += eps;
        let mut minus = x.clone();
        minus[idx] -= eps;
        let numeric = (loss(plus.view()) - loss(minus.view())) / (2.0 * eps as f64);
        let analytic = grad[idx] as f64;
        let tolerance = 1e-2 * (1.0 + numeric.abs());
        assert!(
            (numeric - analytic).abs() < tolerance,
            "at {idx:?}: numeric {numeric}, analytic {analytic}"
        );
    }
}

fn ratings() -> Csr {
    Csr::from_triplets(
        3,
        5,
        [
            (0, 1, 4.0),
            (0, 4, 1.0),
            (1, 0, 5.0),
            (2, 2, 3.0),
            (2, 4, 2.0),
        ],
    )
}

#[test]
fn similarity_loss_gradient() {
    let h = random(3, 4, 1) * 2.0;
    let other = random(5, 4, 2) * 2.0;
    let s = ratings()
        .map(|r| if r > 3.0 { 1.0 } else { 0.0 })
        .to_dense();
    let (_, grad) = similarity_loss(h.view(), other.view(), s.view());
    check(&h, &grad, |h| similarity_loss(h, other.view(), s.view()).0);
}

#[test]
fn similarity_loss_is_stable_for_large_inner_products() {
    let h = Array2::from_elem((1, 2), 100.0f32);
    let other = Array2::from_elem((2, 2), 100.0f32);
    let s = ndarray::array![[1.0f32, 0.0]];
    let (loss, grad) = similarity_loss(h.view(), other.view(), s.view());
    assert!(loss.is_finite() && grad.iter().all(|g| g.is_finite()));
    assert!((loss - 20_000.0).abs() < 1.0, "{loss}");
}

#[test]
fn balance_loss_gradient() {
    let f = random(4, 3, 3);
    let (_, grad) = balance_loss(f.view());
    check(&f, &grad, |f| balance_loss(f).0);
}

#[test]
fn quantization_loss_gradient() {
    // Away from 0, where sgn jumps.
    let f = random(4, 3, 4).mapv(|v| if v.abs() < 0.1 { v + 0.3 } else { v });
    let (_, grad) = quantization_loss(f.view());
    check(&f, &grad, |f| quantization_loss(f).0);
}

#[test]
fn reconstruction_loss_gradient() {
    let x_hat = random(3, 5, 5);
    let x = ratings().to_dense();
    let (_, grad) = reconstruction_loss(x_hat.view(), x.view());
    check(&x_hat, &grad, |x_hat| {
        reconstruction_loss(x_hat, x.view()).0
    });
}

#[test]
fn decorrelation_loss_gradient() {
    let f = random(5, 3, 6);
    let (_, grad) = decorrelation_loss(f.view());
    check(&f, &grad, |f| decorrelation_loss(f).0);
}

#[test]
fn rating_loss_gradient() {
    let f = random(3, 4, 7);
    let other = random(5, 4, 8);
    let r = ratings();
    let (_, grad) = rating_loss(f.view(), other.view(), &r);
    check(&f, &grad, |f| rating_loss(f, other.view(), &r).0);
}

#[test]
fn code_rating_loss_gradient() {
    let f = random(3, 4, 9);
    let other = random(5, 4, 10);
    let r = ratings().map(|v| (v - 1.0) / 4.0);
    let (_, grad) = code_rating_loss(f.view(), other.view(), &r, 4);
    check(&f, &grad, |f| code_rating_loss(f, other.view(), &r, 4).0);
}

#[test]
fn affinity_loss_gradient() {
    let h = random(3, 4, 11);
    let other = random(5, 4, 12);
    let target = random(3, 5, 13).mapv(f32::abs);
    let (_, grad) = affinity_loss(h.view(), other.view(), target.view());
    check(&h, &grad, |h| {
        affinity_loss(h, other.view(), target.view()).0
    });
}

/// `sum(out * g)` for an MLP whose dropout mask is drawn from a fixed seed.
fn mlp_loss(mlp: &Mlp, x: Input, g: &Array2<f32>) -> f64 {
    let out = mlp.forward(x, Some(&mut seeded_rng(99))).output;
    out.iter().zip(g).map(|(&o, &g)| (o * g) as f64).sum()
}

#[test]
fn mlp_backward_matches_finite_differences() {
    for activation in [Activation::Tanh, Activation::Sigmoid] {
        let mut mlp = Mlp::new(&[5, 4, 3, 2], activation, 0.5, &mut seeded_rng(1));
        let x = ratings().map(|v| v / 5.0);
        let g = random(3, 2, 14);
        let trace = mlp.forward(Input::Sparse(&x), Some(&mut seeded_rng(99)));
        let grads = mlp.backward(Input::Sparse(&x), &trace, g.clone());
        for l in 0..3 {
            let w = mlp.layers_mut()[l].w.clone();
            let probe = |w_new: ArrayView2<f32>| {
                let mut m = mlp.clone();
                m.layers_mut()[l].w.assign(&w_new);
                mlp_loss(&m, Input::Sparse(&x), &g)
            };
            check(&w, &grads.layers[l].w, probe);
        }
        // Dense input: the input gradient too.
        let xd = random(3, 5, 15);
        let trace = mlp.forward(Input::Dense(xd.view()), Some(&mut seeded_rng(99)));
        let grads = mlp.backward(Input::Dense(xd.view()), &trace, g.clone());
        let dx = grads.input.expect("dense input gradient");
        check(&xd, &dx, |x| mlp_loss(&mlp, Input::Dense(x), &g));
    }
}
