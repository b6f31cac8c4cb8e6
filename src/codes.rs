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

    /// Codes from their packed words (`n * ceil(bits / 64)` of them, layout as in the
    /// module docs). Panics if the length is wrong or a padding bit is set.
    pub fn from_words(n: usize, bits: usize, words: Vec<u64>) -> BinaryCodes {
        let words_per_code = bits.div_ceil(64);
        assert_eq!(words.len(), n * words_per_code, "{n} codes of {bits} bits");
        if !bits.is_multiple_of(64) {
            let padding = !0u64 << (bits % 64);
            assert!(
                words
                    .chunks(words_per_code)
                    .all(|code| code[words_per_code - 1] & padding == 0),
                "padding bits past bit {bits} must be zero"
            );
        }
        BinaryCodes {
            n,
            bits,
            words_per_code,
            words,
        }
    }

    /// Codes read from FAISS's binary layout (rows of `bits.div_ceil(8)` bytes, bit j in
    /// bit j % 8 of byte j / 8; see [`crate::export`]), the inverse of
    /// [`crate::export::faiss_codes`]. Panics if the length is not a whole number of
    /// rows or a padding bit is set.
    pub fn from_faiss_bytes(bits: usize, bytes: &[u8]) -> BinaryCodes {
        let row = bits.div_ceil(8);
        assert!(
            row > 0 && bytes.len().is_multiple_of(row),
            "rows of {row} bytes"
        );
        let n = bytes.len() / row;
        let words_per_code = bits.div_ceil(64);
        let mut words = vec![0u64; n * words_per_code];
        for (code, out) in bytes.chunks(row).zip(words.chunks_mut(words_per_code)) {
            for (j, &byte) in code.iter().enumerate() {
                out[j / 8] |= u64::from(byte) << (8 * (j % 8));
            }
        }
        BinaryCodes::from_words(n, bits, words)
    }

    /// All packed words, code after code.
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// Heap bytes held by the codes: `n * ceil(r / 64) * 8` (the allocation's capacity).
    pub fn heap_bytes(&self) -> usize {
        self.words.capacity() * std::mem::size_of::<u64>()
    }

    /// Writes the Hamming distances from `query` to the codes `candidates` into `out`
    /// (cleared first), in candidate order; with `candidates` `None`, to every code in
    /// order. The same numbers as [`BinaryCodes::distances`], as `u16` for the ranking's
    /// counting sort (codes up to 65,535 bits). Natively on x86_64 the popcount
    /// instruction is used when the CPU has it (detected at run time); in wasm,
    /// `i64.popcnt`.
    pub fn distances_into(&self, query: &[u64], candidates: Option<&[u32]>, out: &mut Vec<u16>) {
        assert_eq!(query.len(), self.words_per_code, "query code length");
        assert!(
            self.bits <= usize::from(u16::MAX),
            "codes longer than 65535 bits"
        );
        let n = candidates.map_or(self.n, <[u32]>::len);
        out.clear();
        out.resize(n, 0);
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("popcnt") {
            // SAFETY: the CPU has the popcnt instruction (checked just above).
            unsafe { distances_popcnt(&self.words, query, candidates, out) };
            return;
        }
        distances_kernel(&self.words, query, candidates, out);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn distances_popcnt(words: &[u64], query: &[u64], candidates: Option<&[u32]>, out: &mut [u16]) {
    distances_kernel(words, query, candidates, out)
}

/// The distance loop, inlined into each instruction-set variant: one-word codes are the
/// common case (r <= 64) and take a loop without an inner loop.
#[inline(always)]
fn distances_kernel(words: &[u64], query: &[u64], candidates: Option<&[u32]>, out: &mut [u16]) {
    let w = query.len();
    match (query, candidates) {
        ([q], None) => {
            for (d, &x) in out.iter_mut().zip(words) {
                *d = (x ^ q).count_ones() as u16;
            }
        }
        ([q], Some(candidates)) => {
            for (d, &i) in out.iter_mut().zip(candidates) {
                *d = (words[i as usize] ^ q).count_ones() as u16;
            }
        }
        (_, None) => {
            for (d, code) in out.iter_mut().zip(words.chunks_exact(w)) {
                *d = hamming(query, code) as u16;
            }
        }
        (_, Some(candidates)) => {
            for (d, &i) in out.iter_mut().zip(candidates) {
                let start = i as usize * w;
                *d = hamming(query, &words[start..start + w]) as u16;
            }
        }
    }
}

/// Hamming distance of two packed codes: popcount of their XOR.
#[inline]
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
