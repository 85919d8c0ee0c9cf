//! Helpers to run the real `ward` binary as a separate process.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// A `ward` command with no inherited `WARD_*` settings, run from `dir` (so no
/// stray `ward.toml` is read), with its data in `dir/ward-data`.
pub fn ward(dir: &Path, database_url: Option<&str>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ward"));
    for (key, _) in std::env::vars() {
        if key.starts_with("WARD_") {
            command.env_remove(key);
        }
    }
    command.current_dir(dir).env("WARD_LOG_LEVEL", "info");
    if let Some(url) = database_url {
        command.env("WARD_DATABASE_URL", url);
    }
    command
}

/// `ward` with no command (so serving, the default) on any free port of
/// 127.0.0.1; stderr discarded (callers may pipe it). Start it with [`start`].
pub fn serve(dir: &Path, database_url: Option<&str>) -> Command {
    let mut command = ward(dir, database_url);
    command
        .env("WARD_LISTEN", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    command
}

/// Starts a `serve` command and returns it with the port it says it got
/// (no port is found free and then released: nothing can take it between).
pub fn start(mut command: Command) -> (Child, u16) {
    let mut child = command.spawn().expect("the ward binary runs");
    let stdout = child.stdout.take().expect("stdout is piped");
    let rx = ward::cli::announced_port(stdout);
    let port = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("ward says where it listens");
    (child, port)
}

/// Runs the command with `input` on standard input.
pub fn run_with_input(mut command: Command, input: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ward binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

pub fn terminate(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits until `/healthz` answers.
pub async fn wait_until_up(port: u16) {
    let client = reqwest::Client::new();
    for _ in 0..200 {
        let answer = client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await;
        if answer.is_ok_and(|r| r.status() == 200) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("ward did not start on port {port}");
}

/// Waits for the process to exit, at most 30 seconds.
pub fn wait_for_exit(child: &mut Child) -> std::process::ExitStatus {
    for _ in 0..300 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("ward did not stop within 30 seconds");
}

/// Sets up an organisation with `ward init` (administrator admin@hotline.example).
pub fn init_instance(dir: &Path, database_url: Option<&str>) {
    let mut init = ward(dir, database_url);
    init.args([
        "init",
        "--organisation",
        "Hotline",
        "--country",
        "LU",
        "--admin-email",
        "admin@hotline.example",
    ]);
    let out = run_with_input(init, "a long admin password\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// The server's log (standard error) line by line as it comes, read on a
/// thread of its own, so that a test waits for what the server says it did
/// instead of sleeping.
pub struct ServerLog {
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl ServerLog {
    /// Takes the child's standard error (it must be piped).
    pub fn of(child: &mut Child) -> Self {
        use std::io::BufRead;
        let stderr = child.stderr.take().expect("stderr is piped");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                let _ = tx.send(line);
            }
        });
        Self {
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits, at most 30 seconds, for a line holding every one of `parts`.
    pub fn wait_for(&mut self, parts: &[&str]) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let Ok(line) = self.lines.recv_timeout(left) else {
                panic!(
                    "the server never logged {parts:?}; it logged:\n{}",
                    self.seen.join("\n")
                );
            };
            self.seen.push(line.clone());
            if parts.iter().all(|p| line.contains(p)) {
                return line;
            }
        }
    }

    /// Every line, once the process has ended (and closed its standard error).
    pub fn all(mut self) -> Vec<String> {
        self.seen.extend(self.lines.iter());
        self.seen
    }
}
