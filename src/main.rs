use clap::Parser;

/// Threads for blocking work (sealing, key derivation, file writes). Each
/// thread that allocates may get a memory arena of its own, so a bounded
/// pool keeps memory bounded too. Domain jobs take one of fewer permits
/// before they enter the pool (`domain::blocking`), and PDF cleaning waits
/// for its child process without a thread, so file writes always find one.
const BLOCKING_THREADS: usize = 8;

fn main() -> std::process::ExitCode {
    let cli = ward::cli::Cli::parse();
    if matches!(cli.command, Some(ward::cli::Command::CleanPdf)) {
        // Before any runtime or thread: this process limits its own memory.
        return std::process::ExitCode::from(ward::domain::uploads::pdf::child_main());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(ward::cli::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
