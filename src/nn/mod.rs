//! The few neural-network pieces the models use: fully connected layers, activations,
//! dropout inside a multilayer perceptron, and the Adam optimiser. Forward passes keep
//! what backpropagation needs; gradients are computed by hand (no autodiff). `matmul`
//! holds the register-tiled dense products (simd128 in wasm) and `fastmath` the
//! vectorisable softplus, sigmoid and tanh.

mod activation;
mod adam;
pub mod fastmath;
mod linear;
pub(crate) mod matmul;
mod mlp;
#[cfg(target_arch = "wasm32")]
pub(crate) mod simd;

pub use activation::Activation;
pub use adam::{Adam, Moments};
pub use linear::{Linear, LinearGrad};
pub use mlp::{Input, Mlp, MlpGrad, Trace};
