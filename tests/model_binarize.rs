//! The binarizations of sec. 4.3 on hand-made features.

use ccsr::binarize::{embed, scaled_tanh, Binarization, Embedding};
use ccsr::model::Features;
use ndarray::array;

fn features(alpha: Option<f32>) -> Features {
    Features {
        users: array![[0.0f32, -0.5, 2.0], [-3.0, 0.1, -0.001]],
        items: array![[1.0f32, -1.0, 0.0]],
        alpha,
    }
}

#[test]
fn sign_maps_zero_to_plus_one() {
    let Embedding::Binary { users, items } = embed(&features(None), Binarization::Sign).unwrap()
    else {
        panic!("sign gives binary codes");
    };
    assert_eq!(
        users.to_signs(),
        array![[1.0f32, -1.0, 1.0], [-1.0, 1.0, -1.0]]
    );
    assert_eq!(items.to_signs(), array![[1.0f32, -1.0, 1.0]]);
}

#[test]
fn scaled_tanh_is_in_the_open_interval_and_uses_the_training_alpha() {
    let f = features(Some(2.5));
    let Embedding::Continuous { users, items } = embed(&f, Binarization::ScaledTanh).unwrap()
    else {
        panic!("ST stays continuous");
    };
    assert!(users.iter().chain(&items).all(|&v| v > -1.0 && v < 1.0));
    assert_eq!(users, scaled_tanh(f.users.view(), 2.5));
    assert!((users[[0, 2]] - 5.0f32.tanh()).abs() < 1e-6);
}

#[test]
fn sign_scaled_tanh_is_the_sign_of_the_st_features() {
    let f = features(Some(40.0));
    let sst = embed(&f, Binarization::SignScaledTanh).unwrap();
    let s = embed(&f, Binarization::Sign).unwrap();
    assert_eq!(sst, s);
}

#[test]
fn continuous_keeps_the_features() {
    let f = features(None);
    assert_eq!(
        embed(&f, Binarization::Continuous).unwrap(),
        Embedding::Continuous {
            users: f.users.clone(),
            items: f.items.clone()
        }
    );
}

#[test]
fn st_and_sst_need_a_scaled_tanh_model() {
    for b in [Binarization::ScaledTanh, Binarization::SignScaledTanh] {
        let error = embed(&features(None), b).unwrap_err();
        assert!(error.to_string().contains(b.suffix()));
    }
}
