//! The paper's Figure 2 toy example: three entities a, b, c with continuous features,
//! compared in continuous space, after sign (S, eq. 8), after scaled tanh (ST,
//! tanh(alpha f)) and after sign-scaled tanh (SST, sgn(tanh(alpha f))).
//!
//! Figure 2 shows two failure modes of binary codes:
//! - left: a is closer to b than to c in continuous space, but closer to c in Hamming
//!   space (binarization can reverse an order);
//! - right: with ST the features sit near +-1 and a is still closer to b, but after SST
//!   b and c are equally close to a (the order collapses into a tie).

use serde::{Deserialize, Serialize};

/// Similarities of a to b and of a to c in one representation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairSimilarity {
    pub ab: f64,
    pub ac: f64,
}

impl PairSimilarity {
    /// Which of b and c is closer to a: `Greater` when b is, `Equal` on a tie.
    pub fn order(&self) -> std::cmp::Ordering {
        self.ab
            .partial_cmp(&self.ac)
            .unwrap_or(std::cmp::Ordering::Equal)
    }
}

/// The toy comparison: inner products for continuous and ST features, and for binary
/// codes the inner product of the +-1 codes, `r - 2 * hamming`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure2 {
    pub alpha: f64,
    pub continuous: PairSimilarity,
    pub sign: PairSimilarity,
    pub scaled_tanh: PairSimilarity,
    pub sign_scaled_tanh: PairSimilarity,
    /// Hamming distances d(a,b), d(a,c) of the sign codes.
    pub hamming_sign: (u32, u32),
    /// Hamming distances d(a,b), d(a,c) of the SST codes.
    pub hamming_sst: (u32, u32),
}

/// Continuous features of the three toy entities; all have the same length r.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToyFeatures {
    pub a: Vec<f64>,
    pub b: Vec<f64>,
    pub c: Vec<f64>,
}

impl ToyFeatures {
    /// Figure 2, left: a.b > a.c, yet sgn(a) equals sgn(c) and differs from sgn(b).
    pub fn order_reversal() -> Self {
        ToyFeatures {
            a: vec![1.0, 0.1],
            b: vec![1.0, -0.1],
            c: vec![0.2, 0.3],
        }
    }

    /// Figure 2, right: with large alpha the ST features are near +-1 and a.b > a.c,
    /// but b and c have the same sign pattern, so SST makes them tie.
    pub fn sst_tie() -> Self {
        ToyFeatures {
            a: vec![0.9, 0.9, 0.9],
            b: vec![0.9, 0.9, -0.1],
            c: vec![0.9, 0.9, -0.9],
        }
    }

    /// Compares a with b and c in the four representations; `alpha` scales ST and SST.
    pub fn compare(&self, alpha: f64) -> Result<Figure2, String> {
        let r = self.a.len();
        if r == 0 || self.b.len() != r || self.c.len() != r {
            return Err(format!(
                "toy features must be non-empty and of equal length (a: {}, b: {}, c: {})",
                self.a.len(),
                self.b.len(),
                self.c.len()
            ));
        }
        if !alpha.is_finite() || alpha <= 0.0 {
            return Err(format!("alpha must be a positive number, got {alpha}"));
        }
        let st = |v: &[f64]| v.iter().map(|x| (alpha * x).tanh()).collect::<Vec<_>>();
        let (sa, sb, sc) = (sign(&self.a), sign(&self.b), sign(&self.c));
        let (ta, tb, tc) = (st(&self.a), st(&self.b), st(&self.c));
        let (qa, qb, qc) = (sign(&ta), sign(&tb), sign(&tc));
        let code_sim = |x: &[i8], y: &[i8]| r as f64 - 2.0 * hamming(x, y) as f64;
        Ok(Figure2 {
            alpha,
            continuous: PairSimilarity {
                ab: dot(&self.a, &self.b),
                ac: dot(&self.a, &self.c),
            },
            sign: PairSimilarity {
                ab: code_sim(&sa, &sb),
                ac: code_sim(&sa, &sc),
            },
            scaled_tanh: PairSimilarity {
                ab: dot(&ta, &tb),
                ac: dot(&ta, &tc),
            },
            sign_scaled_tanh: PairSimilarity {
                ab: code_sim(&qa, &qb),
                ac: code_sim(&qa, &qc),
            },
            hamming_sign: (hamming(&sa, &sb), hamming(&sa, &sc)),
            hamming_sst: (hamming(&qa, &qb), hamming(&qa, &qc)),
        })
    }
}

/// Eq. 8: +1 where f >= 0, -1 otherwise.
fn sign(v: &[f64]) -> Vec<i8> {
    v.iter().map(|&x| if x >= 0.0 { 1 } else { -1 }).collect()
}

fn hamming(x: &[i8], y: &[i8]) -> u32 {
    x.iter().zip(y).filter(|(p, q)| p != q).count() as u32
}

fn dot(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y).map(|(p, q)| p * q).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    #[test]
    fn sign_reverses_the_continuous_order() {
        let fig = ToyFeatures::order_reversal().compare(1.0).unwrap();
        assert_eq!(fig.continuous.order(), Ordering::Greater);
        assert_eq!(fig.sign.order(), Ordering::Less);
        assert_eq!(fig.hamming_sign, (1, 0));
    }

    #[test]
    fn sst_turns_the_st_order_into_a_tie() {
        let fig = ToyFeatures::sst_tie().compare(5.0).unwrap();
        assert_eq!(fig.scaled_tanh.order(), Ordering::Greater);
        assert_eq!(fig.sign_scaled_tanh.order(), Ordering::Equal);
        assert_eq!(fig.hamming_sst, (1, 1));
        // Scaled tanh values lie in (-1, 1); large alpha pushes them towards +-1.
        assert!(fig.scaled_tanh.ab < 3.0 && fig.scaled_tanh.ab > 1.0);
    }

    #[test]
    fn mismatched_lengths_and_bad_alpha_are_errors() {
        let mut t = ToyFeatures::sst_tie();
        t.c.pop();
        assert!(t.compare(1.0).unwrap_err().contains("equal length"));
        assert!(ToyFeatures::sst_tie().compare(0.0).is_err());
        assert!(ToyFeatures::sst_tie().compare(f64::NAN).is_err());
    }
}
