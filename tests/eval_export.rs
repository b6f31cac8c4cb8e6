//! FAISS IndexBinary layout: bit j of a code is bit j % 8 of byte j / 8.

use ccsr::codes::BinaryCodes;
use ccsr::data::Catalog;
use ccsr::export::{faiss_codes, write_faiss, IdMap};
use ndarray::array;

#[test]
fn byte_layout_of_a_hand_made_example() {
    // Code 0, 12 bits, signs + - - + | - - - - | + + - + (bits 0..11):
    // bits set: 0, 3, 8, 9, 11. Byte 0 = 2^0 + 2^3 = 0x09; byte 1 = bits 8, 9, 11 ->
    // 2^0 + 2^1 + 2^3 = 0x0B. d = 16 (12 padded to a multiple of 8), 2 bytes per code.
    // Code 1: all +: byte 0 = 0xFF, byte 1 = bits 8..11 only = 0x0F (padding is zero).
    let features = array![
        [1.0f32, -1., -1., 1., -1., -1., -1., -1., 1., 1., -1., 1.],
        [1.0f32; 12],
    ];
    let codes = BinaryCodes::from_signs(features.view());
    let faiss = faiss_codes(&codes);
    assert_eq!((faiss.d, faiss.n), (16, 2));
    assert_eq!(faiss.bytes, [0x09, 0x0B, 0xFF, 0x0F]);
}

#[test]
fn multi_word_codes_keep_their_byte_order() {
    // 72 bits: bit 64 starts byte 8.
    let mut codes = BinaryCodes::zeros(1, 72);
    codes.set(0, 7, true);
    codes.set(0, 64, true);
    let bytes = faiss_codes(&codes).bytes;
    assert_eq!(bytes, [0x80, 0, 0, 0, 0, 0, 0, 0, 0x01]);
}

#[test]
fn writes_codes_and_id_map() {
    let dir = std::env::temp_dir().join(format!("ccsr-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let users = BinaryCodes::from_signs(array![[1.0f32, -1.0, 1.0]].view());
    let items = BinaryCodes::from_signs(array![[-1.0f32, -1.0, 1.0], [1.0, 1.0, 1.0]].view());
    let catalog = Catalog {
        user_ids: vec!["42".into()],
        item_ids: vec!["1193".into(), "661".into()],
        ..Catalog::default()
    };
    write_faiss(&dir, &users, &items, &catalog).unwrap();
    assert_eq!(std::fs::read(dir.join("users.u8")).unwrap(), [0b101]);
    assert_eq!(std::fs::read(dir.join("items.u8")).unwrap(), [0b100, 0b111]);
    let ids: IdMap = serde_json::from_slice(&std::fs::read(dir.join("ids.json")).unwrap()).unwrap();
    assert_eq!((ids.bits, ids.d), (3, 8));
    assert_eq!(ids.items, ["1193", "661"]);
    // A catalogue that does not match the codes is an error, not a panic.
    assert!(write_faiss(&dir, &items, &items, &catalog).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}
