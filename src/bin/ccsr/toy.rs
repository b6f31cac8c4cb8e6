//! `ccsr toy [ALPHA]`: the Figure 2 comparison, one JSON line per example.

use crate::CliResult;
use ccsr::toy::ToyFeatures;

#[derive(clap::Args)]
pub struct Args {
    /// Scale alpha of the scaled tanh (sec. 4.3).
    #[arg(default_value_t = 5.0)]
    alpha: f64,
}

pub fn run(args: &Args) -> CliResult {
    for (name, toy) in [
        ("order reversal", ToyFeatures::order_reversal()),
        ("SST tie", ToyFeatures::sst_tie()),
    ] {
        let figure = toy.compare(args.alpha)?;
        println!("{name}: {}", serde_json::to_string(&figure)?);
    }
    Ok(())
}
