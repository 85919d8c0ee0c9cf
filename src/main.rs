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
    if matches!(cli.command, None | Some(ward::cli::Command::Serve)) {
        allocator::give_large_buffers_back();
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

/// The server gives the memory of large buffers back to the system.
///
/// glibc's allocator serves a buffer of 128 KiB or more with pages of its
/// own, returned when it is freed; but after the first such buffer is freed
/// it raises that threshold to the buffer's size (up to 32 MiB), and later
/// ones come from per-thread arenas that keep their pages. Files being
/// cleaned are such buffers: after a flood of uploads the server stayed at
/// its peak memory. A fixed threshold (a glibc tunable, read only when a
/// process starts) keeps them apart, so the server starts itself again
/// once with it set. Changing it from inside would need `unsafe` code,
/// which this crate forbids.
mod allocator {
    use std::ffi::OsString;

    const TUNABLE: &str = "glibc.malloc.mmap_threshold";
    /// Buffers of 1 MiB and more get pages of their own.
    const THRESHOLD: &str = "1048576";

    pub fn give_large_buffers_back() {
        if !cfg!(all(target_os = "linux", target_env = "gnu")) {
            return;
        }
        let current = std::env::var_os("GLIBC_TUNABLES").unwrap_or_default();
        if current.to_string_lossy().contains(TUNABLE) {
            return; // set already (by us, or by the operator)
        }
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        let mut tunables = current;
        if !tunables.is_empty() {
            tunables.push(":");
        }
        tunables.push(OsString::from(format!("{TUNABLE}={THRESHOLD}")));
        use std::os::unix::process::CommandExt;
        let error = std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env("GLIBC_TUNABLES", tunables)
            .exec();
        // Only reached if the new start failed: carry on as we are.
        eprintln!("warning: cannot restart with a fixed allocation threshold: {error}");
    }
}
