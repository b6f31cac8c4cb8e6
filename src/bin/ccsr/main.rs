//! `ccsr`: the native command line. One module per subcommand, each with its clap
//! `Args` and a `run` function; a new command is one file and one `Command` variant.

mod baseline;
mod reproduce;
mod stats;
mod toy;
mod train;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Compact Cross-Similarity Recommender (Shi & Chung 2022): binary-code recommenders.
#[derive(Parser)]
#[command(name = "ccsr", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The paper's Figure 2 toy example: continuous, S, ST and SST similarities.
    Toy(toy::Args),
    /// Users, items, ratings, density and rating histogram of a data set.
    Stats(stats::Args),
    /// The Random and Top baselines (sec. 5.2) under both evaluation protocols.
    Baseline(baseline::Args),
    /// Trains one model, one line per epoch, then its test rows beside Random and Top.
    Train(train::Args),
    /// The paper's Table 3 or 6: every model, binarization and code length.
    Reproduce(reproduce::Args),
}

/// What a command reports on failure: printed as `ccsr: <message>`, exit status 1.
pub type CliResult = Result<(), Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Toy(args) => toy::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Baseline(args) => baseline::run(args),
        Command::Train(args) => train::run(args),
        Command::Reproduce(args) => reproduce::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ccsr: {e}");
            ExitCode::FAILURE
        }
    }
}
