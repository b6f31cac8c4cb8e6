//! Export of binary codes for FAISS's `IndexBinary*` indexes (e.g. `IndexBinaryFlat`),
//! which search by Hamming distance.
//!
//! FAISS stores a d-bit code (d a multiple of 8) in d/8 bytes, bit j of the code being
//! bit j % 8 (least significant first) of byte j / 8. r-bit codes are exported with
//! d = r rounded up to a multiple of 8, the padding bits zero in users and items alike,
//! so Hamming distances are unchanged. `codes.u8` from Python:
//! `np.fromfile(path, np.uint8).reshape(n, d // 8)`, then `index.add(x)` or
//! `index.search(x, k)`; the id map turns FAISS's row numbers back into original ids.

use crate::codes::BinaryCodes;
use crate::data::Catalog;
use serde::{Deserialize, Serialize};
use std::io;
use std::path::Path;

/// Codes in FAISS's binary layout: `n` rows of `d / 8` bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaissCodes {
    /// Code length in bits as FAISS sees it: r rounded up to a multiple of 8.
    pub d: usize,
    pub n: usize,
    pub bytes: Vec<u8>,
}

/// The codes packed for FAISS (padding bits are zero).
pub fn faiss_codes(codes: &BinaryCodes) -> FaissCodes {
    let d = codes.bits().div_ceil(8) * 8;
    let bytes_per_code = d / 8;
    let mut bytes = Vec::with_capacity(codes.len() * bytes_per_code);
    for i in 0..codes.len() {
        // Words are little-endian bit-ordered, so their little-endian bytes are exactly
        // FAISS's order; the last word may hold more bytes than the code needs.
        let code_bytes = codes.code(i).iter().flat_map(|w| w.to_le_bytes());
        bytes.extend(code_bytes.take(bytes_per_code));
    }
    FaissCodes {
        d,
        n: codes.len(),
        bytes,
    }
}

/// What the rows of exported codes are: the paper's r, FAISS's d, and the original id
/// of each row (row i of the users' / items' codes is `users[i]` / `items[i]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdMap {
    pub bits: usize,
    pub d: usize,
    pub users: Vec<String>,
    pub items: Vec<String>,
}

impl IdMap {
    /// The id map of `bits`-bit codes of `catalog`'s users and items.
    pub fn new(bits: usize, catalog: &Catalog) -> IdMap {
        IdMap {
            bits,
            d: bits.div_ceil(8) * 8,
            users: catalog.user_ids.clone(),
            items: catalog.item_ids.clone(),
        }
    }
}

/// Writes `users.u8` and `items.u8` (FAISS layout) and `ids.json` (the [`IdMap`]) into
/// `dir`, which must exist.
pub fn write_faiss(
    dir: &Path,
    users: &BinaryCodes,
    items: &BinaryCodes,
    catalog: &Catalog,
) -> io::Result<()> {
    let ids = IdMap::new(users.bits(), catalog);
    if items.bits() != users.bits()
        || ids.users.len() != users.len()
        || ids.items.len() != items.len()
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "codes and catalogue do not match in length or code size",
        ));
    }
    std::fs::write(dir.join("users.u8"), faiss_codes(users).bytes)?;
    std::fs::write(dir.join("items.u8"), faiss_codes(items).bytes)?;
    std::fs::write(dir.join("ids.json"), serde_json::to_vec_pretty(&ids)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seventy_bits_pad_to_nine_bytes() {
        let mut codes = BinaryCodes::zeros(1, 70);
        codes.set(0, 69, true);
        let faiss = faiss_codes(&codes);
        assert_eq!(faiss.d, 72);
        // Bit 69 is bit 5 of byte 8.
        assert_eq!(faiss.bytes, [0, 0, 0, 0, 0, 0, 0, 0, 1 << 5]);
    }
}
