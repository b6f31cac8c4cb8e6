//! The paper's Figure 2 toy example: three entities a, b, c with continuous features,
//! compared in continuous space, after sign (S, eq. 8), after scaled tanh (ST,
//! tanh(alpha f)) and after sign-scaled tanh (SST, sgn(tanh(alpha f))).
//!
//! Figure 2 shows two failure modes of binary codes:
//! - left: a is closer to b than to c in continuous space, but closer to c in Hamming
//!   space (binarization can reverse an order);
//! - right: with ST the features sit near +-1 and a is still closer to b, but after SST
//!   b and c are equally close to a (the order collapses into a tie).
//!
//! [`ToyFeatures::new`] takes any features (the page's draggable points), and
//! [`Figure2::findings`] says in words which of the two failure modes is happening.

use serde::{Deserialize, Serialize};

/// The most features per entity the toy accepts.
pub const MAX_TOY_DIMENSIONS: usize = 64;

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
    /// Each entity's features and what the binarizations make of them, a, b, c.
    pub entities: Vec<ToyEntity>,
    /// What is happening, in words (see [`Figure2::findings`]).
    pub findings: Vec<String>,
}

/// One toy entity in each representation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToyEntity {
    pub name: char,
    pub features: Vec<f64>,
    /// sgn(f), +-1.
    pub sign: Vec<i8>,
    /// tanh(alpha f).
    pub scaled_tanh: Vec<f64>,
    /// sgn(tanh(alpha f)), +-1 (equal to sgn(f): tanh keeps signs).
    pub sign_scaled_tanh: Vec<i8>,
}

/// Continuous features of the three toy entities; all have the same length r.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToyFeatures {
    pub a: Vec<f64>,
    pub b: Vec<f64>,
    pub c: Vec<f64>,
}

impl ToyFeatures {
    /// Toy features from any three vectors: non-empty, of equal length (at most
    /// [`MAX_TOY_DIMENSIONS`]) and finite.
    pub fn new(a: Vec<f64>, b: Vec<f64>, c: Vec<f64>) -> Result<Self, String> {
        let toy = ToyFeatures { a, b, c };
        toy.check()?;
        Ok(toy)
    }

    fn check(&self) -> Result<(), String> {
        let r = self.a.len();
        if r == 0 || self.b.len() != r || self.c.len() != r {
            return Err(format!(
                "toy features must be non-empty and of equal length (a: {}, b: {}, c: {})",
                self.a.len(),
                self.b.len(),
                self.c.len()
            ));
        }
        if r > MAX_TOY_DIMENSIONS {
            return Err(format!(
                "toy features have at most {MAX_TOY_DIMENSIONS} dimensions, got {r}"
            ));
        }
        for (name, v) in [('a', &self.a), ('b', &self.b), ('c', &self.c)] {
            if let Some(j) = v.iter().position(|x| !x.is_finite()) {
                return Err(format!(
                    "toy feature {name}[{j}] must be a finite number, got {}",
                    v[j]
                ));
            }
        }
        Ok(())
    }

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
            a: vec![0.9, 0.9],
            b: vec![0.9, -0.1],
            c: vec![0.9, -0.9],
        }
    }

    /// Compares a with b and c in the four representations; `alpha` scales ST and SST.
    pub fn compare(&self, alpha: f64) -> Result<Figure2, String> {
        self.check()?;
        let r = self.a.len();
        if !alpha.is_finite() || alpha <= 0.0 {
            return Err(format!("alpha must be a positive number, got {alpha}"));
        }
        let st = |v: &[f64]| v.iter().map(|x| (alpha * x).tanh()).collect::<Vec<_>>();
        let (sa, sb, sc) = (sign(&self.a), sign(&self.b), sign(&self.c));
        let (ta, tb, tc) = (st(&self.a), st(&self.b), st(&self.c));
        let (qa, qb, qc) = (sign(&ta), sign(&tb), sign(&tc));
        let code_sim = |x: &[i8], y: &[i8]| r as f64 - 2.0 * hamming(x, y) as f64;
        let entity = |name, f: &[f64], s: &[i8], t: &[f64], q: &[i8]| ToyEntity {
            name,
            features: f.to_vec(),
            sign: s.to_vec(),
            scaled_tanh: t.to_vec(),
            sign_scaled_tanh: q.to_vec(),
        };
        let entities = vec![
            entity('a', &self.a, &sa, &ta, &qa),
            entity('b', &self.b, &sb, &tb, &qb),
            entity('c', &self.c, &sc, &tc, &qc),
        ];
        let mut figure = Figure2 {
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
            entities,
            findings: Vec::new(),
        };
        figure.findings = figure.explain();
        Ok(figure)
    }
}

/// "sim(a,b) > sim(a,c)" for an order.
fn relation(order: std::cmp::Ordering) -> &'static str {
    match order {
        std::cmp::Ordering::Greater => ">",
        std::cmp::Ordering::Less => "<",
        std::cmp::Ordering::Equal => "=",
    }
}

impl Figure2 {
    /// The failure modes of Figure 2 seen in this comparison, in words: sign codes
    /// reversing or tying the continuous order (left), SST tying or reversing the
    /// order ST keeps (right); else that the binary codes keep the order.
    pub fn explain(&self) -> Vec<String> {
        use std::cmp::Ordering::Equal;
        let (c, s, st, sst) = (
            self.continuous.order(),
            self.sign.order(),
            self.scaled_tanh.order(),
            self.sign_scaled_tanh.order(),
        );
        let mut out = Vec::new();
        if c != Equal && s != c {
            let what = if s == Equal {
                "sign makes b and c equally similar to a"
            } else {
                "sign reverses the order"
            };
            out.push(format!(
                "{what}: sim(a,b) {} sim(a,c) in continuous space, {} after sign \
                 (Hamming distances {} and {}).",
                relation(c),
                relation(s),
                self.hamming_sign.0,
                self.hamming_sign.1
            ));
        }
        if st != Equal && sst != st {
            let what = if sst == Equal {
                "SST makes b and c equally similar to a"
            } else {
                "SST reverses the order"
            };
            out.push(format!(
                "{what}: sim(a,b) {} sim(a,c) after ST (alpha = {}), {} after SST \
                 (Hamming distances {} and {}).",
                relation(st),
                self.alpha,
                relation(sst),
                self.hamming_sst.0,
                self.hamming_sst.1
            ));
        }
        if st != c {
            out.push(format!(
                "Even ST changes the order at alpha = {}: sim(a,b) {} sim(a,c) continuous, \
                 {} after ST.",
                self.alpha,
                relation(c),
                relation(st)
            ));
        }
        if out.is_empty() {
            out.push(format!(
                "The binary codes keep the order: sim(a,b) {} sim(a,c) in every representation.",
                relation(c)
            ));
        }
        out
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
        // tanh(4.5) ~ 1, tanh(-0.5) ~ -0.46: a.b ~ 0.54 > a.c ~ 0.
        assert!(
            (fig.scaled_tanh.ab - 0.5377).abs() < 1e-3,
            "{}",
            fig.scaled_tanh.ab
        );
        assert!(fig.scaled_tanh.ac.abs() < 1e-6);
        // SST codes are the sign codes, so sign ties b and c as well.
        assert_eq!(
            fig.findings,
            [
                "sign makes b and c equally similar to a: sim(a,b) > sim(a,c) in continuous \
                 space, = after sign (Hamming distances 1 and 1).",
                "SST makes b and c equally similar to a: sim(a,b) > sim(a,c) after ST \
                 (alpha = 5), = after SST (Hamming distances 1 and 1)."
            ]
        );
    }

    #[test]
    fn findings_name_the_order_reversal() {
        let fig = ToyFeatures::order_reversal().compare(1.0).unwrap();
        assert_eq!(
            fig.findings[0],
            "sign reverses the order: sim(a,b) > sim(a,c) in continuous space, < after sign \
             (Hamming distances 1 and 0)."
        );
        assert_eq!(fig.entities[1].sign, vec![1, -1]);
        assert_eq!(fig.entities[2].sign_scaled_tanh, vec![1, 1]);
        assert!((fig.entities[0].scaled_tanh[0] - 1f64.tanh()).abs() < 1e-12);
    }

    #[test]
    fn codes_that_agree_with_the_features_keep_the_order() {
        let toy = ToyFeatures::new(vec![1.0, 1.0], vec![0.9, 0.8], vec![-0.5, 0.6]).unwrap();
        let fig = toy.compare(2.0).unwrap();
        assert_eq!(fig.findings.len(), 1);
        assert!(
            fig.findings[0].starts_with("The binary codes keep the order"),
            "{:?}",
            fig.findings
        );
    }

    #[test]
    fn new_validates_the_features() {
        assert!(ToyFeatures::new(vec![0.5], vec![1.0], vec![-1.0]).is_ok());
        let err = ToyFeatures::new(vec![1.0, 2.0], vec![1.0], vec![1.0, 0.0]).unwrap_err();
        assert!(err.contains("equal length (a: 2, b: 1, c: 2)"), "{err}");
        assert!(ToyFeatures::new(vec![], vec![], vec![]).is_err());
        let err =
            ToyFeatures::new(vec![1.0, f64::NAN], vec![1.0, 0.0], vec![1.0, 0.0]).unwrap_err();
        assert_eq!(err, "toy feature a[1] must be a finite number, got NaN");
        let err = ToyFeatures::new(vec![0.0], vec![0.0], vec![f64::INFINITY]).unwrap_err();
        assert!(err.starts_with("toy feature c[0]"), "{err}");
        let long = vec![0.0; MAX_TOY_DIMENSIONS + 1];
        assert!(ToyFeatures::new(long.clone(), long.clone(), long).is_err());
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
