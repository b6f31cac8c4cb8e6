//! Packed binary codes B in {-1, +1}^{n x r} (paper sec. 4.3): one bit per dimension,
//! set for +1, in `u64` words; the Hamming distance is a popcount of the XOR.
//!
//! Layout: code `i`, bit `j` lives in word `i * words_per_code + j / 64`, at bit `j % 64`
//! (least significant first). Bits past `r` in the last word are always zero, so whole
//! words can be XORed and counted. Read as little-endian bytes this is FAISS's
//! `IndexBinary` layout (see [`crate::export`]).

use ndarray::{Array2, ArrayView2};

/// `n` binary codes of `bits` bits each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinaryCodes {
    n: usize,
    bits: usize,
    words_per_code: usize,
    words: Vec<u64>,
}

impl BinaryCodes {
    /// All-zero (all -1) codes: `n` codes of `bits` bits.
    pub fn zeros(n: usize, bits: usize) -> BinaryCodes {
        let words_per_code = bits.div_ceil(64);
        BinaryCodes {
            n,
            bits,
            words_per_code,
            words: vec![0; n * words_per_code],
        }
    }

    /// Codes from real-valued features (one row per entity, one column per bit) by the
    /// sign function of eq. 8, which maps 0 to +1: the bit is set where `f >= 0`.
    /// NaN is not `>= 0`, so it maps to -1.
    pub fn from_signs(features: ArrayView2<f32>) -> BinaryCodes {
        let (n, bits) = features.dim();
        let mut codes = BinaryCodes::zeros(n, bits);
        for (i, row) in features.outer_iter().enumerate() {
            let code = codes.code_mut(i);
            for (j, &f) in row.iter().enumerate() {
                if f >= 0.0 {
                    code[j / 64] |= 1 << (j % 64);
                }
            }
        }
        codes
    }

    /// The codes as +-1 features (the inverse of [`BinaryCodes::from_signs`]).
    pub fn to_signs(&self) -> Array2<f32> {
        Array2::from_shape_fn(
            (self.n, self.bits),
            |(i, j)| {
                if self.bit(i, j) {
                    1.0
                } else {
                    -1.0
                }
            },
        )
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether there are no codes.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Code length r in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// Words per code: `ceil(r / 64)`.
    pub fn words_per_code(&self) -> usize {
        self.words_per_code
    }

    /// The packed words of code `i`.
    pub fn code(&self, i: usize) -> &[u64] {
        &self.words[i * self.words_per_code..(i + 1) * self.words_per_code]
    }

    fn code_mut(&mut self, i: usize) -> &mut [u64] {
        &mut self.words[i * self.words_per_code..(i + 1) * self.words_per_code]
    }

    /// Bit `j` of code `i` (true for +1).
    pub fn bit(&self, i: usize, j: usize) -> bool {
        assert!(j < self.bits, "bit {j} of a {}-bit code", self.bits);
        self.code(i)[j / 64] >> (j % 64) & 1 == 1
    }

    /// Sets bit `j` of code `i` to `value` (true for +1).
    pub fn set(&mut self, i: usize, j: usize, value: bool) {
        assert!(j < self.bits, "bit {j} of a {}-bit code", self.bits);
        let word = &mut self.code_mut(i)[j / 64];
        let mask = 1 << (j % 64);
        if value {
            *word |= mask;
        } else {
            *word &= !mask;
        }
    }

    /// Hamming distance between `query` (a code of the same length, e.g. another
    /// set's [`BinaryCodes::code`]) and code `i`.
    pub fn hamming(&self, query: &[u64], i: usize) -> u32 {
        hamming(query, self.code(i))
    }

    /// Hamming distances from `query` to the codes `candidates`, in candidate order
    /// (one-word codes take a fast path).
    pub fn distances(&self, query: &[u64], candidates: &[u32]) -> Vec<u32> {
        if let ([q], 1) = (query, self.words_per_code) {
            candidates
                .iter()
                .map(|&i| (self.words[i as usize] ^ q).count_ones())
                .collect()
        } else {
            candidates
                .iter()
                .map(|&i| self.hamming(query, i as usize))
                .collect()
        }
    }
}

/// Hamming distance of two packed codes: popcount of their XOR.
pub fn hamming(a: &[u64], b: &[u64]) -> u32 {
    debug_assert_eq!(a.len(), b.len(), "codes of different lengths");
    a.iter().zip(b).map(|(x, y)| (x ^ y).count_ones()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn sign_maps_zero_to_one_and_pads_with_zero_bits() {
        let codes = BinaryCodes::from_signs(array![[0.5, -0.1, 0.0], [-1.0, 2.0, -0.0]].view());
        // -0.0 >= 0.0 in IEEE 754, so it is +1 too.
        assert_eq!(codes.code(0), &[0b101]);
        assert_eq!(codes.code(1), &[0b110]);
        assert_eq!(codes.hamming(codes.code(0), 1), 2);
    }

    #[test]
    fn codes_longer_than_one_word() {
        let mut codes = BinaryCodes::zeros(2, 130);
        assert_eq!(codes.words_per_code(), 3);
        codes.set(1, 0, true);
        codes.set(1, 64, true);
        codes.set(1, 129, true);
        assert_eq!(codes.code(1), &[1, 1, 2]);
        assert_eq!(codes.hamming(codes.code(0), 1), 3);
        codes.set(1, 64, false);
        assert!(!codes.bit(1, 64));
    }
}
