//! Export of binary codes for FAISS's `IndexBinary*` indexes (e.g. `IndexBinaryFlat`),
//! which search by Hamming distance.
//!
//! FAISS stores a d-bit code (d a multiple of 8) in d/8 bytes, bit j of the code being
//! bit j % 8 (least significant first) of byte j / 8. r-bit codes are exported with
//! d = r rounded up to a multiple of 8, the padding bits zero in users and items alike,
//! so Hamming distances are unchanged. `codes.u8` from Python:
//! `np.fromfile(path, np.uint8).reshape(n, d // 8)`, then `index.add(x)` or
//! `index.search(x, k)`; the id map turns FAISS's row numbers back into original ids.
//!
//! The page downloads the same three files in one zip ([`faiss_zip`]): `users.u8`,
//! `items.u8`, `ids.json` and a `README.txt` describing the layout.

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

/// The export's files as (name, bytes): `users.u8`, `items.u8` (FAISS layout),
/// `ids.json` (the [`IdMap`]) and `README.txt`; an error when the codes and the
/// catalogue disagree in length or code size.
pub fn faiss_files(
    users: &BinaryCodes,
    items: &BinaryCodes,
    catalog: &Catalog,
) -> io::Result<Vec<(&'static str, Vec<u8>)>> {
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
    let readme = readme(&ids);
    Ok(vec![
        ("users.u8", faiss_codes(users).bytes),
        ("items.u8", faiss_codes(items).bytes),
        ("ids.json", serde_json::to_vec_pretty(&ids)?),
        ("README.txt", readme.into_bytes()),
    ])
}

/// Writes the [`faiss_files`] into `dir`, which must exist.
pub fn write_faiss(
    dir: &Path,
    users: &BinaryCodes,
    items: &BinaryCodes,
    catalog: &Catalog,
) -> io::Result<()> {
    for (name, bytes) in faiss_files(users, items, catalog)? {
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(())
}

/// The [`faiss_files`] as one zip (stored: packed codes do not compress), each file
/// under `folder/`.
pub fn faiss_zip(
    folder: &str,
    users: &BinaryCodes,
    items: &BinaryCodes,
    catalog: &Catalog,
) -> io::Result<Vec<u8>> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in faiss_files(users, items, catalog)? {
        zip.start_file(format!("{folder}/{name}"), options)
            .map_err(io::Error::other)?;
        zip.write_all(&bytes)?;
    }
    Ok(zip.finish().map_err(io::Error::other)?.into_inner())
}

/// What `README.txt` says about the files.
fn readme(ids: &IdMap) -> String {
    let bytes = ids.d / 8;
    format!(
        "ccsr binary codes for FAISS IndexBinary (e.g. IndexBinaryFlat(d)), {r}-bit codes.\n\
         \n\
         users.u8  {nu} users x {bytes} bytes, row-major, one code per row\n\
         items.u8  {ni} items x {bytes} bytes\n\
         ids.json  {{\"bits\": r, \"d\": d, \"users\": [original ids], \"items\": [original ids]}}:\n\
         \x20         row i of users.u8 is user ids.users[i], row j of items.u8 is item ids.items[j]\n\
         \n\
         d = {d} (r rounded up to a multiple of 8). Bit j of a code is bit j % 8 (least\n\
         significant first) of byte j / 8; padding bits are 0 in users and items alike, so\n\
         Hamming distances are those of the r-bit codes. Bit j is 1 where the learned\n\
         feature j is >= 0 (sign codes, eq. 8 of the paper).\n\
         \n\
         Python:\n\
         \x20 import faiss, json, numpy as np\n\
         \x20 ids = json.load(open('ids.json'))\n\
         \x20 users = np.fromfile('users.u8', np.uint8).reshape(-1, ids['d'] // 8)\n\
         \x20 items = np.fromfile('items.u8', np.uint8).reshape(-1, ids['d'] // 8)\n\
         \x20 index = faiss.IndexBinaryFlat(ids['d']); index.add(items)\n\
         \x20 distances, rows = index.search(users[:1], 10)  # user ids['users'][0]\n\
         \x20 print([ids['items'][j] for j in rows[0]])\n",
        r = ids.bits,
        d = ids.d,
        nu = ids.users.len(),
        ni = ids.items.len(),
    )
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

    fn catalog(users: usize, items: usize) -> Catalog {
        Catalog {
            user_ids: (0..users).map(|u| format!("u{u}")).collect(),
            item_ids: (0..items).map(|i| format!("i{i}")).collect(),
            titles: vec![String::new(); items],
            genres: vec![vec![]; items],
        }
    }

    #[test]
    fn the_zip_holds_codes_ids_and_a_readme() {
        // 10-bit codes: 2 bytes per row.
        let mut users = BinaryCodes::zeros(2, 10);
        users.set(0, 0, true);
        users.set(1, 9, true);
        let mut items = BinaryCodes::zeros(3, 10);
        items.set(2, 8, true);
        items.set(2, 1, true);
        let bytes = faiss_zip("codes", &users, &items, &catalog(2, 3)).unwrap();
        let mut zip = zip::ZipArchive::new(io::Cursor::new(bytes)).unwrap();
        let mut read = |name: &str| {
            let mut out = Vec::new();
            io::Read::read_to_end(&mut zip.by_name(name).unwrap(), &mut out).unwrap();
            out
        };
        assert_eq!(read("codes/users.u8"), [1, 0, 0, 2]);
        assert_eq!(read("codes/items.u8"), [0, 0, 0, 0, 2, 1]);
        let ids: IdMap = serde_json::from_slice(&read("codes/ids.json")).unwrap();
        assert_eq!((ids.bits, ids.d), (10, 16));
        assert_eq!(ids.users, ["u0", "u1"]);
        assert_eq!(ids.items, ["i0", "i1", "i2"]);
        let readme = String::from_utf8(read("codes/README.txt")).unwrap();
        assert!(readme.contains("users.u8  2 users x 2 bytes"), "{readme}");
        assert!(readme.contains("IndexBinaryFlat"));
    }

    #[test]
    fn mismatched_codes_and_catalogue_are_errors() {
        let users = BinaryCodes::zeros(2, 10);
        let items = BinaryCodes::zeros(3, 10);
        assert!(faiss_files(&users, &items, &catalog(2, 4)).is_err());
        assert!(faiss_files(&users, &BinaryCodes::zeros(3, 12), &catalog(2, 3)).is_err());
    }
}
