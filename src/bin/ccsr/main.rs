//! `ccsr`: the native command line. Subcommands grow with the core (stats, baseline,
//! train, reproduce); for now it prints the Figure 2 toy comparison.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("toy") => {
            let alpha = args.get(1).map(|a| a.parse::<f64>()).transpose();
            let alpha = match alpha {
                Ok(a) => a.unwrap_or(5.0),
                Err(e) => fail(&format!("alpha: {e}")),
            };
            for (name, toy) in [
                ("order reversal", ccsr::toy::ToyFeatures::order_reversal()),
                ("SST tie", ccsr::toy::ToyFeatures::sst_tie()),
            ] {
                match toy.compare(alpha) {
                    Ok(fig) => println!("{name}: {}", serde_json::to_string(&fig).unwrap()),
                    Err(e) => fail(&e),
                }
            }
        }
        _ => {
            eprintln!("usage: ccsr toy [ALPHA]");
            std::process::exit(2);
        }
    }
}

fn fail(message: &str) -> ! {
    eprintln!("ccsr: {message}");
    std::process::exit(1);
}
