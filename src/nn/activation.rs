//! Element-wise activations of hidden layers. The paper does not name one for its
//! autoencoders (sec. 4.1); [`Activation::Tanh`] is the crate's default.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// An element-wise nonlinearity whose derivative is a function of its output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Activation {
    #[default]
    Tanh,
    Relu,
    Sigmoid,
}

impl Activation {
    /// Applies the activation in place.
    pub fn apply(self, z: &mut Array2<f32>) {
        match self {
            Activation::Tanh => z.mapv_inplace(super::fastmath::tanh),
            Activation::Relu => z.mapv_inplace(|v| v.max(0.0)),
            Activation::Sigmoid => z.mapv_inplace(|v| 1.0 / (1.0 + (-v).exp())),
        }
    }

    /// Multiplies `grad` (dL/dy) in place by dy/dz, given the output `y`.
    pub fn backward(self, y: &Array2<f32>, grad: &mut Array2<f32>) {
        match self {
            Activation::Tanh => grad.zip_mut_with(y, |g, &y| *g *= 1.0 - y * y),
            Activation::Relu => grad.zip_mut_with(y, |g, &y| {
                if y <= 0.0 {
                    *g = 0.0
                }
            }),
            Activation::Sigmoid => grad.zip_mut_with(y, |g, &y| *g *= y * (1.0 - y)),
        }
    }
}
