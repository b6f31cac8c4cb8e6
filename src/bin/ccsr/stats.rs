//! `ccsr stats DATA [--json]`: the Table 2 numbers and rating histogram of a data set
//! (a folder or a file such as a release zip).

use crate::CliResult;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// A data folder (ML-1M / ML-100K layout) or file (release zip, ratings file).
    data: PathBuf,
    /// Print the statistics as JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &Args) -> CliResult {
    let dataset = ccsr::data::load_path(&args.data)?;
    let stats = dataset.stats();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&stats)?);
        return Ok(());
    }
    println!("dataset  {}", dataset.name);
    println!("users    {}", stats.users);
    println!("items    {}", stats.items);
    println!("ratings  {}", stats.ratings);
    println!("density  {:.4}%", 100.0 * stats.density);
    println!("rating histogram:");
    for (rating, count) in &stats.rating_histogram {
        println!("  {rating:>4}  {count}");
    }
    Ok(())
}
