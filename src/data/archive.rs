//! Release zips (`ml-1m.zip`, `ml-100k.zip`, or any zip holding a recognised layout)
//! read in memory from bytes, so the browser can hand over the user's file as is.
//! Entries are matched by file name wherever they sit (the releases use a top folder
//! `ml-1m/` / `ml-100k/`); only the entries the layout needs are decompressed.

use super::error::{DataError, DataErrorKind};
use super::files::Layout;
use super::Dataset;
use std::borrow::Cow;
use std::io::{Cursor, Read};

/// Largest entry decompressed (1 GiB): more is refused rather than exhausting memory.
pub const MAX_ENTRY_BYTES: u64 = 1 << 30;

/// A data set from the bytes of the zip archive `name` (used in errors).
pub fn load_zip(name: &str, bytes: &[u8]) -> Result<Dataset, DataError> {
    let corrupt = |e: &dyn std::fmt::Display| {
        DataError::file(
            name,
            DataErrorKind::Archive,
            format!("not a readable zip archive ({e})"),
        )
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    let mut names = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        match archive.name_for_index(i) {
            Some(Ok(entry)) if !entry.ends_with('/') => names.push((i, entry.into_owned())),
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(corrupt(&e)),
            None => return Err(corrupt(&"entry index out of range")),
        }
    }
    let listed: Vec<&str> = names.iter().map(|(_, n)| n.as_str()).collect();
    Layout::detect(name, &listed, false)?.parse(&listed, |i| {
        let (index, entry_name) = &names[i];
        read_entry(&mut archive, *index)
            .map(Cow::Owned)
            .map_err(|message| {
                DataError::file(
                    &format!("{name}/{entry_name}"),
                    DataErrorKind::Archive,
                    message,
                )
            })
    })
}

fn read_entry(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    index: usize,
) -> Result<Vec<u8>, String> {
    let entry = archive
        .by_index(index)
        .map_err(|e| format!("cannot open entry ({e})"))?;
    if entry.size() > MAX_ENTRY_BYTES {
        return Err(format!(
            "entry of {} bytes exceeds the {MAX_ENTRY_BYTES}-byte limit",
            entry.size()
        ));
    }
    // The declared size may lie: reserve at most 16 MiB up front.
    let mut bytes = Vec::with_capacity(entry.size().min(1 << 24) as usize);
    entry
        .take(MAX_ENTRY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("truncated or corrupt entry ({e})"))?;
    if bytes.len() as u64 > MAX_ENTRY_BYTES {
        return Err(format!("entry exceeds the {MAX_ENTRY_BYTES}-byte limit"));
    }
    Ok(bytes)
}
