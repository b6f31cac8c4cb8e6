//! Feature extraction (sec. 4.1): an encoder MLP from a sparse rating row to an
//! r-dimensional feature, and a decoder MLP back to the row (eq. 1). The decoder
//! mirrors the encoder's hidden sizes, has no dropout, and reads the encoder's
//! output F (before any scaled tanh). The output layers are linear.

use ndarray::Array2;

use crate::data::SeededRng;
use crate::nn::{Activation, Input, Mlp};
use crate::sparse::Csr;

/// An encoder and, unless the model has no reconstruction loss, a decoder.
#[derive(Clone, Debug, PartialEq)]
pub struct Autoencoder {
    pub encoder: Mlp,
    pub decoder: Option<Mlp>,
}

impl Autoencoder {
    /// Encoder `[n_in, hidden.., code]` with `dropout` before its last layer; decoder
    /// `[code, reversed hidden.., n_in]` when `decoder` is set.
    pub fn new(
        n_in: usize,
        hidden: &[usize],
        code: usize,
        activation: Activation,
        dropout: f32,
        decoder: bool,
        rng: &mut SeededRng,
    ) -> Self {
        let sizes: Vec<usize> = std::iter::once(n_in)
            .chain(hidden.iter().copied())
            .chain(std::iter::once(code))
            .collect();
        let encoder = Mlp::new(&sizes, activation, dropout, rng);
        let reversed: Vec<usize> = sizes.iter().rev().copied().collect();
        let decoder = decoder.then(|| Mlp::new(&reversed, activation, 0.0, rng));
        Autoencoder { encoder, decoder }
    }

    /// Features of every row of `x`, without dropout.
    pub fn encode(&self, x: &Csr) -> Array2<f32> {
        self.encoder.forward(Input::Sparse(x), None).output
    }
}
