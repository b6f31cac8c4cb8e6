//! A multilayer perceptron: linear layers with an activation after every hidden layer,
//! a linear output layer, and inverted dropout on the input of the output layer (the
//! paper's "dropout layer before the last encoder layer", sec. 5.2).

use ndarray::{Array2, ArrayView2};
use rand::RngExt;

use super::activation::Activation;
use super::adam::Adam;
use super::linear::{Linear, LinearGrad};
use super::matmul::matmul;
use crate::data::SeededRng;
use crate::sparse::Csr;

/// The input of a network: a sparse batch of rating rows or dense features.
#[derive(Clone, Copy, Debug)]
pub enum Input<'a> {
    Sparse(&'a Csr),
    Dense(ArrayView2<'a, f32>),
}

/// An MLP with layer sizes `[n_in, hidden.., n_out]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    layers: Vec<Linear>,
    activation: Activation,
    dropout: f32,
}

/// What a forward pass keeps for backpropagation.
#[derive(Clone, Debug)]
pub struct Trace {
    /// Hidden layer outputs after the activation, before dropout.
    hidden: Vec<Array2<f32>>,
    /// The last hidden layer after dropout, and the scaled keep mask, when dropout ran.
    dropped: Option<(Array2<f32>, Array2<f32>)>,
    /// The network output (linear).
    pub output: Array2<f32>,
}

impl Trace {
    /// What the output layer read when the network has hidden layers: the last one,
    /// after dropout when it ran (`None`: the output layer read the network input).
    pub fn last_hidden(&self) -> Option<ArrayView2<'_, f32>> {
        match (&self.dropped, self.hidden.last()) {
            (Some((d, _)), _) => Some(d.view()),
            (None, Some(h)) => Some(h.view()),
            (None, None) => None,
        }
    }
}

/// Gradients of every layer, and of the input when it is dense.
#[derive(Clone, Debug)]
pub struct MlpGrad {
    pub layers: Vec<LinearGrad>,
    pub input: Option<Array2<f32>>,
}

impl Mlp {
    /// `sizes` = `[n_in, hidden.., n_out]` (at least two entries); `dropout` is the
    /// probability of dropping a unit of the last hidden layer while training.
    pub fn new(sizes: &[usize], activation: Activation, dropout: f32, rng: &mut SeededRng) -> Self {
        assert!(sizes.len() >= 2, "an MLP needs input and output sizes");
        Mlp {
            layers: sizes
                .windows(2)
                .map(|s| Linear::new(s[0], s[1], rng))
                .collect(),
            activation,
            dropout,
        }
    }

    /// Forward pass; dropout runs only when `rng` is given (training).
    pub fn forward(&self, x: Input, rng: Option<&mut SeededRng>) -> Trace {
        let mut trace = self.forward_hidden(x, rng);
        let output = match trace.last_hidden() {
            Some(h) => self.output_layer().forward(&Input::Dense(h)),
            None => self.output_layer().forward(&x),
        };
        trace.output = output;
        trace
    }

    /// The forward pass up to the input of the output layer (hidden layers, dropout);
    /// the trace's `output` is left empty (0 x 0). For losses that read the output
    /// layer's input and weights instead of its output (see
    /// `model::linear_reconstruction_loss`); finish with [`Mlp::backward_from_last`].
    pub fn forward_hidden(&self, x: Input, rng: Option<&mut SeededRng>) -> Trace {
        let last = self.layers.len() - 1;
        let mut hidden: Vec<Array2<f32>> = Vec::with_capacity(last);
        let mut dropped = None;
        for layer in &self.layers[..last] {
            let mut z = match hidden.last() {
                None => layer.forward(&x),
                Some(h) => layer.forward(&Input::Dense(h.view())),
            };
            self.activation.apply(&mut z);
            hidden.push(z);
        }
        if let (Some(rng), Some(h)) = (rng, hidden.last()) {
            if self.dropout > 0.0 {
                let keep = 1.0 / (1.0 - self.dropout);
                let mask = Array2::from_shape_fn(h.raw_dim(), |_| {
                    if rng.random::<f32>() < self.dropout {
                        0.0
                    } else {
                        keep
                    }
                });
                dropped = Some((h * &mask, mask));
            }
        }
        Trace {
            hidden,
            dropped,
            output: Array2::zeros((0, 0)),
        }
    }

    /// The output (last, linear) layer.
    pub fn output_layer(&self) -> &Linear {
        self.layers.last().expect("at least one layer")
    }

    /// The output layer, to change how it stores its weights.
    pub fn output_layer_mut(&mut self) -> &mut Linear {
        self.layers.last_mut().expect("at least one layer")
    }

    /// Backpropagates `d_out` = dL/d(output) through the pass recorded in `trace`.
    pub fn backward(&self, x: Input, trace: &Trace, d_out: Array2<f32>) -> MlpGrad {
        let layer = self.output_layer();
        let (grad, dense) = match trace.last_hidden() {
            Some(h) => (layer.grad(&Input::Dense(h), &d_out), true),
            None => (layer.grad(&x, &d_out), matches!(x, Input::Dense(_))),
        };
        let d_input = dense.then(|| matmul(d_out.view(), layer.w.t()));
        self.backward_from_last(x, trace, grad, d_input)
    }

    /// Backpropagation given the output layer's gradient `last` and `d_last_input` =
    /// dL/d(the output layer's input, after dropout) (`None` only for a one-layer
    /// network on sparse input, which has no input gradient).
    pub fn backward_from_last(
        &self,
        x: Input,
        trace: &Trace,
        last: LinearGrad,
        d_last_input: Option<Array2<f32>>,
    ) -> MlpGrad {
        let top = self.layers.len() - 1;
        let mut grads = Vec::with_capacity(self.layers.len());
        grads.push(last);
        if top == 0 {
            return MlpGrad {
                layers: grads,
                input: d_last_input,
            };
        }
        let mut dx = d_last_input.expect("the output layer reads a dense hidden layer");
        if let Some((_, mask)) = &trace.dropped {
            dx *= mask;
        }
        self.activation.backward(&trace.hidden[top - 1], &mut dx);
        let mut d = dx;
        let mut d_input = None;
        for l in (0..top).rev() {
            let grad = if l == 0 {
                self.layers[l].grad(&x, &d)
            } else {
                self.layers[l].grad(&Input::Dense(trace.hidden[l - 1].view()), &d)
            };
            grads.push(grad);
            if l == 0 {
                if let Input::Dense(_) = x {
                    d_input = Some(matmul(d.view(), self.layers[0].w.t()));
                }
                break;
            }
            let mut dx = matmul(d.view(), self.layers[l].w.t());
            self.activation.backward(&trace.hidden[l - 1], &mut dx);
            d = dx;
        }
        grads.reverse();
        MlpGrad {
            layers: grads,
            input: d_input,
        }
    }

    /// One Adam update of every layer.
    pub fn update(&mut self, grad: &MlpGrad, adam: &Adam) {
        for (layer, g) in self.layers.iter_mut().zip(&grad.layers) {
            layer.update(g, adam);
        }
    }

    /// The layers, input first (for gradient checks).
    pub fn layers_mut(&mut self) -> &mut [Linear] {
        &mut self.layers
    }
}
