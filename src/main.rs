use clap::Parser;

/// Threads for blocking work (sealing, key derivation, file writes). Each
/// thread that allocates may get a memory arena of its own, so a bounded
/// pool keeps memory bounded too. Domain jobs take one of fewer permits
/// before they enter the pool (`domain::blocking`), and PDF cleaning waits
/// for its child process without a thread, so file writes always find one.
const BLOCKING_THREADS: usize = 8;

/// jemalloc rather than the system's allocator, so that memory freed after
/// a flood goes back to the system. glibc's kept what a flood had used (the
/// server stayed at 80-130 MB instead of its idle 29 MB, with 4 MB still
/// allocated: pages of per-thread arenas it keeps for reuse). jemalloc
/// gives pages unused for 10 s back (`dirty_decay_ms`), from a thread of
/// its own once the server is idle (started below for `ward serve`). mimalloc was tried
/// too and kept more. Only this binary uses it; the library and its tests
/// keep the system's.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    let cli = ward::cli::Cli::parse();
    if matches!(cli.command, Some(ward::cli::Command::CleanPdf)) {
        // Before any runtime or thread: this process limits its own memory.
        return std::process::ExitCode::from(ward::domain::uploads::pdf::child_main());
    }
    if matches!(cli.command, None | Some(ward::cli::Command::Serve)) {
        // Without it, jemalloc returns memory only when the server
        // allocates again, so an idle server would keep its peak.
        if let Err(e) = tikv_jemalloc_ctl::background_thread::write(true) {
            eprintln!("warning: memory will be given back only under load: {e}");
        }
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
            eprintln!("error: {}", ward::cli::explain(&e));
            std::process::ExitCode::FAILURE
        }
    }
}
