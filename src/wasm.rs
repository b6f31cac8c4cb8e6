//! The wasm-bindgen API the web worker calls. Only this file touches wasm-bindgen: it
//! converts JS values to Rust types and back and calls the plain-Rust core; no logic here.

use std::sync::Mutex;
use wasm_bindgen::prelude::*;

/// The message of the last panic, kept so the worker can report it as text (the panic
/// itself surfaces in JS only as `RuntimeError: unreachable`).
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Installs the panic hook once, when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(info.to_string());
        }
        console_error_panic_hook::hook(info);
    }));
}

/// Takes (and clears) the message of the last Rust panic, if any.
#[wasm_bindgen(js_name = takePanicMessage)]
pub fn take_panic_message() -> Option<String> {
    LAST_PANIC.lock().ok().and_then(|mut last| last.take())
}

/// The crate version, so the page can show which core it talks to.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The Figure 2 toy comparison for one of the paper's two examples
/// (`"order-reversal"` or `"sst-tie"`) at scaled-tanh slope `alpha`.
#[wasm_bindgen(js_name = toyFigure2)]
pub fn toy_figure2(example: &str, alpha: f64) -> Result<JsValue, JsError> {
    let toy = match example {
        "order-reversal" => crate::toy::ToyFeatures::order_reversal(),
        "sst-tie" => crate::toy::ToyFeatures::sst_tie(),
        other => return Err(JsError::new(&format!("unknown toy example {other:?}"))),
    };
    let figure = toy.compare(alpha).map_err(|e| JsError::new(&e))?;
    serde_wasm_bindgen::to_value(&figure).map_err(|e| JsError::new(&e.to_string()))
}

/// Panics on purpose with `message`: lets the app and its tests check that a Rust panic
/// reaches the page as a readable error.
#[wasm_bindgen(js_name = debugPanic)]
pub fn debug_panic(message: &str) {
    panic!("{message}");
}
