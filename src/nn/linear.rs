//! A fully connected layer `z = x W + b` with Glorot-uniform initialisation.

use ndarray::{Array1, Array2, Axis, Ix1, Ix2};
use rand::RngExt;

use super::adam::{Adam, Moments};
use super::matmul::matmul;
use super::mlp::Input;
use crate::data::SeededRng;

/// Weights `w` (inputs x outputs; row-major unless [`Linear::store_column_major`]),
/// bias `b`, and their Adam moments.
#[derive(Clone, Debug, PartialEq)]
pub struct Linear {
    pub w: Array2<f32>,
    pub b: Array1<f32>,
    moments_w: Moments<Ix2>,
    moments_b: Moments<Ix1>,
}

/// Gradients of a loss with respect to a layer's weights and bias.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearGrad {
    pub w: Array2<f32>,
    pub b: Array1<f32>,
}

impl Linear {
    /// Glorot-uniform weights U(-a, a), a = sqrt(6 / (n_in + n_out)); zero bias.
    pub fn new(n_in: usize, n_out: usize, rng: &mut SeededRng) -> Self {
        let a = (6.0 / (n_in + n_out) as f32).sqrt();
        let w = Array2::from_shape_fn((n_in, n_out), |_| a * (2.0 * rng.random::<f32>() - 1.0));
        Linear {
            moments_w: Moments::zeros(w.raw_dim()),
            moments_b: Moments::zeros(ndarray::Dim(n_out)),
            w,
            b: Array1::zeros(n_out),
        }
    }

    /// Keeps `w` and its moments in column-major order, i.e. `W^T` row by row (the
    /// same weights), for a layer whose loss reads `W^T`: the decoder's output layer
    /// under `model::loss::linear_reconstruction_loss`, which then needs no transposed
    /// copies of `W` and its gradient. Called before training (the moments restart at
    /// zero).
    pub fn store_column_major(&mut self) {
        self.w = self.w.t().as_standard_layout().into_owned().reversed_axes();
        self.moments_w = Moments::zeros_like(&self.w);
    }

    /// `x W + b`.
    pub fn forward(&self, x: &Input) -> Array2<f32> {
        let mut z = match x {
            Input::Sparse(x) => x.dot(self.w.view()),
            Input::Dense(x) => matmul(x.view(), self.w.view()),
        };
        z += &self.b;
        z
    }

    /// Gradients given the layer input `x` and `dz` = dL/dz; `w`'s in the memory
    /// order of the weights.
    pub fn grad(&self, x: &Input, dz: &Array2<f32>) -> LinearGrad {
        let column_major = !self.w.is_standard_layout();
        LinearGrad {
            w: match x {
                Input::Sparse(x) => x.t_dot(dz.view()),
                Input::Dense(x) if column_major => matmul(dz.t(), x.view()).reversed_axes(),
                Input::Dense(x) => matmul(x.t(), dz.view()),
            },
            b: dz.sum_axis(Axis(0)),
        }
    }

    /// One Adam update of weights and bias.
    pub fn update(&mut self, grad: &LinearGrad, adam: &Adam) {
        adam.update(&mut self.w, &grad.w, &mut self.moments_w);
        adam.update(&mut self.b, &grad.b, &mut self.moments_b);
    }
}
