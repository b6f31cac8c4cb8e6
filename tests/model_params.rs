//! Every invalid parameter of every model is rejected by `check()`, naming it; the
//! defaults are valid and are the paper's settings.

use ccsr::model::{AecfParams, CcsrParams, CfCodeRegParams, CfParams, DjsrhParams, ParamError};

fn rejected<P>(
    check: impl Fn(&P) -> Result<(), ParamError>,
    base: &P,
    name: &str,
    edit: impl Fn(&mut P),
) where
    P: Clone,
{
    let mut p = base.clone();
    edit(&mut p);
    let error = check(&p).expect_err(name);
    assert_eq!(error.param, name, "{error}");
    assert!(error.to_string().contains(name));
}

#[test]
fn ccsr_defaults_are_the_papers() {
    let p = CcsrParams::default();
    assert!(p.check().is_ok());
    assert_eq!(
        (p.hidden.as_slice(), p.lambda_ae, p.lambda_b, p.lambda_q),
        (&[128][..], 0.1, 1e-4, 0.0)
    );
    assert_eq!(p.like_threshold, 3.0);
}

#[test]
fn ccsr_invalid_parameters() {
    let base = CcsrParams::default();
    let check = |p: &CcsrParams| p.check().map(drop);
    rejected(check, &base, "code_length", |p| p.code_length = 0);
    rejected(check, &base, "hidden", |p| p.hidden.clear());
    rejected(check, &base, "hidden", |p| p.hidden = vec![0]);
    rejected(check, &base, "dropout", |p| p.dropout = Some(1.0));
    rejected(check, &base, "dropout", |p| p.dropout = Some(-0.1));
    rejected(check, &base, "lambda_ae", |p| p.lambda_ae = -1.0);
    rejected(check, &base, "lambda_b", |p| p.lambda_b = f32::NAN);
    rejected(check, &base, "lambda_q", |p| p.lambda_q = -0.5);
    rejected(check, &base, "learning_rate", |p| p.learning_rate = 0.0);
    rejected(check, &base, "weight_decay", |p| p.weight_decay = -1e-3);
    rejected(check, &base, "batch_size", |p| p.batch_size = 0);
    rejected(check, &base, "alpha_growth", |p| p.alpha_growth = Some(0.9));
    rejected(check, &base, "like_threshold", |p| {
        p.like_threshold = f32::INFINITY
    });
    rejected(check, &base, "input_scale", |p| p.input_scale = 0.0);
    rejected(check, &base, "unrated_weight", |p| p.unrated_weight = -0.1);
    rejected(check, &base, "logit_scale", |p| p.logit_scale = f32::NAN);
}

#[test]
fn ccsr_params_without_new_fields_deserialize_to_defaults() {
    let p: CcsrParams = serde_json::from_str(r#"{"code_length": 40}"#).unwrap();
    let d = CcsrParams::default();
    assert_eq!(
        (p.input_scale, p.unrated_weight, p.logit_scale),
        (d.input_scale, 1.0, 1.0)
    );
}

#[test]
fn aecf_invalid_parameters() {
    let base = AecfParams::default();
    assert!(base.check().is_ok());
    assert_eq!(base.hidden, vec![512, 256, 128]);
    let check = |p: &AecfParams| p.check().map(drop);
    rejected(check, &base, "code_length", |p| p.code_length = 0);
    rejected(check, &base, "hidden", |p| p.hidden.clear());
    rejected(check, &base, "dropout", |p| p.dropout = Some(2.0));
    rejected(check, &base, "lambda_ae", |p| p.lambda_ae = -1.0);
    rejected(check, &base, "learning_rate", |p| p.learning_rate = -1.0);
    rejected(check, &base, "weight_decay", |p| p.weight_decay = f32::NAN);
    rejected(check, &base, "batch_size", |p| p.batch_size = 0);
    rejected(check, &base, "alpha_growth", |p| {
        p.alpha_growth = Some(f32::NAN)
    });
}

#[test]
fn cf_invalid_parameters() {
    let base = CfParams::default();
    assert!(base.check().is_ok());
    assert_eq!(base.lambda, 0.4);
    let check = |p: &CfParams| p.check().map(drop);
    rejected(check, &base, "code_length", |p| p.code_length = 0);
    rejected(check, &base, "lambda", |p| p.lambda = -0.4);
    rejected(check, &base, "learning_rate", |p| {
        p.learning_rate = f32::INFINITY
    });
    rejected(check, &base, "init_scale", |p| p.init_scale = 0.0);
}

#[test]
fn cfcodereg_invalid_parameters() {
    let base = CfCodeRegParams::default();
    assert!(base.check().is_ok());
    assert_eq!(base.lambda, 0.4);
    let check = |p: &CfCodeRegParams| p.check().map(drop);
    rejected(check, &base, "code_length", |p| p.code_length = 0);
    rejected(check, &base, "lambda", |p| p.lambda = -1.0);
    rejected(check, &base, "balance", |p| p.balance = -1.0);
    rejected(check, &base, "decorrelation", |p| {
        p.decorrelation = f32::NAN
    });
    rejected(check, &base, "learning_rate", |p| p.learning_rate = 0.0);
}

#[test]
fn djsrh_invalid_parameters() {
    let base = DjsrhParams::default();
    assert!(base.check().is_ok());
    assert_eq!(base.hidden, vec![512, 256]);
    let check = |p: &DjsrhParams| p.check().map(drop);
    rejected(check, &base, "code_length", |p| p.code_length = 0);
    rejected(check, &base, "hidden", |p| p.hidden = vec![512, 0]);
    rejected(check, &base, "dropout", |p| p.dropout = 1.0);
    rejected(check, &base, "beta", |p| p.beta = 1.5);
    rejected(check, &base, "eta", |p| p.eta = -0.1);
    rejected(check, &base, "mu", |p| p.mu = 0.0);
    rejected(check, &base, "learning_rate", |p| p.learning_rate = 0.0);
    rejected(check, &base, "weight_decay", |p| p.weight_decay = -1.0);
    rejected(check, &base, "batch_size", |p| p.batch_size = 0);
    rejected(check, &base, "alpha_growth", |p| p.alpha_growth = Some(0.5));
}
