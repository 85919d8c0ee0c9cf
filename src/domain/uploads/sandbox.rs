//! What the PDF cleaner's child process gives up before it reads a PDF.
//!
//! A hostile PDF that took control of the parser would run with the
//! server's rights: it could read `secrets/instance.key`, the database or
//! other reporters' files, or send them away. So, before reading its input,
//! the child drops every right it does not need to turn bytes on standard
//! input into bytes on standard output:
//! - Landlock (Linux 5.13 and later) denies every access to the file system
//!   (no file can be opened, read, written or created), TCP binds and
//!   connections, abstract UNIX sockets and signals to other processes;
//! - a seccomp filter refuses, whatever the kernel's Landlock support, the
//!   system calls that open files, create sockets, start programs or set
//!   up `io_uring` (which could open files on its behalf).
//!
//! Both stay in force until the child exits; they cannot be undone.

use std::collections::BTreeMap;

use landlock::{ABI, Access, AccessFs, AccessNet, Ruleset, RulesetAttr, RulesetStatus, Scope};
use seccompiler::{BpfProgram, SeccompAction, SeccompFilter, TargetArch};

/// How far the child is confined.
#[derive(Debug, PartialEq, Eq)]
pub enum Confinement {
    /// Landlock and seccomp are both in force.
    Full,
    /// Seccomp only: the kernel has no Landlock (or only part of it).
    SeccompOnly,
}

/// System calls the child never needs, refused with `EPERM`.
const REFUSED: &[i64] = &[
    libc::SYS_openat,
    libc::SYS_openat2,
    libc::SYS_open_by_handle_at,
    libc::SYS_name_to_handle_at,
    libc::SYS_socket,
    libc::SYS_socketpair,
    libc::SYS_connect,
    libc::SYS_bind,
    libc::SYS_execve,
    libc::SYS_execveat,
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_io_uring_setup,
];
/// The older forms that only some architectures have.
#[cfg(target_arch = "x86_64")]
const REFUSED_LEGACY: &[i64] = &[
    libc::SYS_open,
    libc::SYS_creat,
    libc::SYS_fork,
    libc::SYS_vfork,
];
#[cfg(not(target_arch = "x86_64"))]
const REFUSED_LEGACY: &[i64] = &[];

/// Confines the calling process (single-threaded: the child runs no other thread).
pub fn confine() -> Result<Confinement, String> {
    let landlock = restrict_files_and_network()?;
    refuse_system_calls()?;
    Ok(if landlock {
        Confinement::Full
    } else {
        Confinement::SeccompOnly
    })
}

/// Landlock with every access handled and no rule granting any: returns
/// whether the kernel enforced it fully.
fn restrict_files_and_network() -> Result<bool, String> {
    let abi = ABI::V6;
    let status = Ruleset::default()
        .handle_access(AccessFs::from_all(abi))
        .and_then(|r| r.handle_access(AccessNet::from_all(abi)))
        .and_then(|r| r.scope(Scope::from_all(abi)))
        .and_then(|r| r.create())
        .and_then(|r| r.restrict_self())
        .map_err(|e| format!("landlock: {e}"))?;
    Ok(status.ruleset == RulesetStatus::FullyEnforced)
}

fn refuse_system_calls() -> Result<(), String> {
    let arch = TargetArch::try_from(std::env::consts::ARCH).map_err(|e| e.to_string())?;
    let rules = REFUSED
        .iter()
        .chain(REFUSED_LEGACY)
        .map(|&call| (call, Vec::new()))
        .collect::<BTreeMap<_, _>>();
    let filter = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(|e| e.to_string())?;
    let program: BpfProgram = filter
        .try_into()
        .map_err(|e: seccompiler::BackendError| e.to_string())?;
    seccompiler::apply_filter(&program).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;

    const PROBE: &str = "WARD_SANDBOX_PROBE";

    /// Runs only inside the child started by the test below: confines
    /// itself, then tries what a parser taken over by a hostile PDF would.
    #[test]
    fn probe() {
        let Some(secret) = std::env::var_os(PROBE) else {
            return;
        };
        let confinement = confine().expect("the child confines itself");
        println!("confinement={confinement:?}");
        let tried = [
            ("read", std::fs::read(&secret).is_ok()),
            (
                "write",
                std::fs::write("/tmp/ward-sandbox-probe", b"x").is_ok(),
            ),
            ("list", std::fs::read_dir("/").is_ok()),
            (
                "tcp",
                std::net::TcpStream::connect("127.0.0.1:5432").is_ok(),
            ),
            ("udp", std::net::UdpSocket::bind("127.0.0.1:0").is_ok()),
            (
                "unix",
                std::os::unix::net::UnixStream::connect("/run/postgresql/.s.PGSQL.5432").is_ok(),
            ),
            ("exec", Command::new("/bin/true").status().is_ok()),
        ];
        for (what, worked) in tried {
            println!("{what}={}", if worked { "allowed" } else { "refused" });
        }
        // Memory, reading standard input and writing standard output still work.
        let buffer = vec![7u8; 32 * 1024 * 1024];
        println!(
            "memory={}",
            buffer.iter().map(|&b| usize::from(b)).sum::<usize>()
        );
    }

    #[test]
    fn a_confined_child_cannot_open_the_instance_key_nor_reach_the_network() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("instance.key");
        std::fs::write(&secret, b"SECRET KEY MATERIAL").unwrap();
        // Control: unconfined, the same file reads.
        assert!(std::fs::read(&secret).is_ok());
        let output = Command::new(std::env::current_exe().unwrap())
            .args([
                "domain::uploads::sandbox::tests::probe",
                "--exact",
                "--nocapture",
            ])
            .env(PROBE, &secret)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{said}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        for what in ["read", "write", "list", "tcp", "udp", "unix", "exec"] {
            assert!(
                said.contains(&format!("{what}=refused")),
                "{what} was not refused:\n{said}"
            );
        }
        assert!(
            said.contains(&format!("memory={}", 7 * 32 * 1024 * 1024)),
            "{said}"
        );
        assert!(!std::path::Path::new("/tmp/ward-sandbox-probe").exists());
        if !said.contains("confinement=Full") {
            eprintln!("NOTE: this kernel has no (full) Landlock; seccomp alone confined the child");
        }
    }
}
