//! Parameter validation shared by the models' `check()` (linfa style: unchecked
//! `XParams` -> `check()` -> validated `XValid`).

/// An invalid parameter: which one and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    pub param: &'static str,
    pub reason: String,
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid parameter {}: {}", self.param, self.reason)
    }
}

impl std::error::Error for ParamError {}

fn fail(param: &'static str, reason: impl Into<String>) -> ParamError {
    ParamError {
        param,
        reason: reason.into(),
    }
}

/// `v >= 1`.
pub(crate) fn positive(param: &'static str, v: usize) -> Result<(), ParamError> {
    if v == 0 {
        return Err(fail(param, "must be at least 1"));
    }
    Ok(())
}

/// A finite `v > 0`.
pub(crate) fn positive_real(param: &'static str, v: f32) -> Result<(), ParamError> {
    if !(v.is_finite() && v > 0.0) {
        return Err(fail(param, format!("must be finite and > 0, got {v}")));
    }
    Ok(())
}

/// A finite `v`.
pub(crate) fn finite(param: &'static str, v: f32) -> Result<(), ParamError> {
    if !v.is_finite() {
        return Err(fail(param, format!("must be finite, got {v}")));
    }
    Ok(())
}

/// A finite `v >= 0`.
pub(crate) fn non_negative(param: &'static str, v: f32) -> Result<(), ParamError> {
    if !(v.is_finite() && v >= 0.0) {
        return Err(fail(param, format!("must be finite and >= 0, got {v}")));
    }
    Ok(())
}

/// `lo <= v < hi` (`hi` excluded unless `inclusive`).
pub(crate) fn in_range(
    param: &'static str,
    v: f32,
    lo: f32,
    hi: f32,
    inclusive: bool,
) -> Result<(), ParamError> {
    let ok = v >= lo && if inclusive { v <= hi } else { v < hi };
    if !ok {
        let close = if inclusive { ']' } else { ')' };
        return Err(fail(
            param,
            format!("must be in [{lo}, {hi}{close}, got {v}"),
        ));
    }
    Ok(())
}

/// A scaled-tanh growth factor, if any, is finite and >= 1.
pub(crate) fn growth(param: &'static str, v: Option<f32>) -> Result<(), ParamError> {
    match v {
        Some(g) if !(g.is_finite() && g >= 1.0) => {
            Err(fail(param, format!("must be finite and >= 1, got {g}")))
        }
        _ => Ok(()),
    }
}

/// Hidden layer sizes: at least one layer, none empty.
pub(crate) fn layers(param: &'static str, sizes: &[usize]) -> Result<(), ParamError> {
    if sizes.is_empty() || sizes.contains(&0) {
        return Err(fail(
            param,
            "needs at least one hidden layer, each of size >= 1",
        ));
    }
    Ok(())
}
