//! Binarization (sec. 4.3): turning learned features into what is ranked.
//!
//! - S, sign (eq. 8): `h = sgn(f)`, 0 -> +1; two-stage, after training.
//! - ST, scaled tanh: `h = tanh(alpha f)`, used *during* training with alpha growing
//!   exponentially per epoch from 1; the output is still continuous and, as in the
//!   paper, is ranked by inner product.
//! - SST, sign-scaled tanh: `sgn(tanh(alpha f))` of the ST-trained features, which is
//!   `sgn(f)` since tanh keeps signs: true binary codes.
//! - C, continuous: the features themselves, ranked by inner product.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use crate::codes::BinaryCodes;
use crate::metrics::Scores;
use crate::model::Features;

/// The four binarizations of the paper's tables (suffixes -S, -ST, -SST, -C).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Binarization {
    Sign,
    ScaledTanh,
    SignScaledTanh,
    Continuous,
}

impl Binarization {
    /// The table suffix: "S", "ST", "SST" or "C".
    pub fn suffix(self) -> &'static str {
        match self {
            Binarization::Sign => "S",
            Binarization::ScaledTanh => "ST",
            Binarization::SignScaledTanh => "SST",
            Binarization::Continuous => "C",
        }
    }

    /// Whether the model must have been trained through a scaled tanh.
    pub fn needs_scaled_tanh(self) -> bool {
        matches!(
            self,
            Binarization::ScaledTanh | Binarization::SignScaledTanh
        )
    }
}

/// Users and items ready for ranking: binary codes (Hamming distance) or continuous
/// vectors (inner product).
#[derive(Clone, Debug, PartialEq)]
pub enum Embedding {
    Binary {
        users: BinaryCodes,
        items: BinaryCodes,
    },
    Continuous {
        users: Array2<f32>,
        items: Array2<f32>,
    },
}

impl Embedding {
    /// The scores [`crate::metrics::evaluate`] ranks by.
    pub fn scores(&self) -> Scores<'_> {
        match self {
            Embedding::Binary { users, items } => Scores::Hamming { users, items },
            Embedding::Continuous { users, items } => Scores::InnerProduct {
                users: users.view(),
                items: items.view(),
            },
        }
    }
}

/// ST or SST asked of features trained without a scaled tanh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoScaledTanh(pub Binarization);

impl std::fmt::Display for NoScaledTanh {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "binarization {} needs a model trained with a scaled tanh (set alpha_growth)",
            self.0.suffix()
        )
    }
}

impl std::error::Error for NoScaledTanh {}

/// `tanh(alpha f)` element-wise.
pub fn scaled_tanh(f: ArrayView2<f32>, alpha: f32) -> Array2<f32> {
    f.mapv(|v| (alpha * v).tanh())
}

/// The embedding of `features` under `binarization`; ST and SST use the features'
/// training-time alpha.
pub fn embed(features: &Features, binarization: Binarization) -> Result<Embedding, NoScaledTanh> {
    let alpha = match (binarization.needs_scaled_tanh(), features.alpha) {
        (true, None) => return Err(NoScaledTanh(binarization)),
        (_, alpha) => alpha.unwrap_or(1.0),
    };
    Ok(match binarization {
        Binarization::Sign => Embedding::Binary {
            users: BinaryCodes::from_signs(features.users.view()),
            items: BinaryCodes::from_signs(features.items.view()),
        },
        Binarization::SignScaledTanh => Embedding::Binary {
            users: BinaryCodes::from_signs(scaled_tanh(features.users.view(), alpha).view()),
            items: BinaryCodes::from_signs(scaled_tanh(features.items.view(), alpha).view()),
        },
        Binarization::ScaledTanh => Embedding::Continuous {
            users: scaled_tanh(features.users.view(), alpha),
            items: scaled_tanh(features.items.view(), alpha),
        },
        Binarization::Continuous => Embedding::Continuous {
            users: features.users.clone(),
            items: features.items.clone(),
        },
    })
}
