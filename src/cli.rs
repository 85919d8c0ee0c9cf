//! The `ward` command line. Each subcommand is a thin shell around the domain.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::domain::audit;
use crate::domain::setup::{self, SetupRequest};
use crate::domain::values::{CountryCode, Email, OrganisationName, Password, Role};
use crate::domain::{DomainError, accounts, totp};
use crate::i18n::english;
use crate::startup::{Application, open_existing_instance, open_instance, shutdown_signal};
use crate::{backup, telemetry};

#[derive(Parser)]
#[command(
    name = "ward",
    version,
    about = "Ward: reporting and case management for child-protection hotlines"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the web server (the default when no command is given).
    Serve,
    /// Set up the organisation and its first administrator without the web page.
    /// The password is read from standard input.
    Init {
        /// Name of the organisation.
        #[arg(long)]
        organisation: String,
        /// ISO 3166 two-letter country code of the organisation.
        #[arg(long)]
        country: String,
        /// E-mail address of the first administrator.
        #[arg(long)]
        admin_email: String,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage back-office users.
    #[command(subcommand)]
    User(UserCommand),
    /// Write a backup of this instance (database, encrypted files, instance key) to a file,
    /// or check one (`ward backup verify FILE`).
    #[command(args_conflicts_with_subcommands = true)]
    Backup {
        /// The backup file to write (a .tar.gz).
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(subcommand)]
        command: Option<BackupCommand>,
    },
    /// Restore a backup into an empty instance.
    Restore {
        /// The backup file to read.
        #[arg(long)]
        from: PathBuf,
    },
    /// Show configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Work with the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Manage the organisations of this instance (hotlines of a network).
    #[command(subcommand)]
    Organisation(OrganisationCommand),
    /// Internal: removes the metadata of a PDF read on standard input (the
    /// server runs this in a child process with limits).
    #[command(hide = true)]
    CleanPdf,
}

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Read a backup file from end to end and check every entry against its
    /// checksum, writing nothing; exits with an error naming what is damaged.
    Verify {
        /// The backup file to check.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum OrganisationCommand {
    /// Add an organisation (another hotline) with its own keys, members and
    /// reports, and its first administrator. The password is read from
    /// standard input. It receives the reports about its country, and those
    /// that routing rules send it.
    Add {
        #[arg(long)]
        name: String,
        /// ISO 3166 two-letter country code.
        #[arg(long)]
        country: String,
        #[arg(long)]
        admin_email: String,
    },
    /// List the organisations of this instance.
    List,
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the whole hash chain of the audit log; names the first entry that
    /// was altered or removed, and exits with status 1 if there is one.
    Verify,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from standard input. The user can read
    /// reports once an administrator has signed in and granted access.
    Add {
        #[arg(long)]
        email: String,
        /// admin, supervisor or analyst.
        #[arg(long)]
        role: String,
    },
    /// List users, their roles and whether they have access to encrypted content.
    List,
    /// Stop a user from signing in.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Let a disabled user sign in again.
    Enable {
        #[arg(long)]
        email: String,
    },
    /// Approve one member's access to the organisation's key. Without
    /// `--fingerprint`, shows the fingerprint of the member's key: compare it
    /// with the one on the member's account page, then run again with it.
    /// Reads the administrator's password from standard input.
    Grant {
        /// E-mail address of the administrator who approves.
        #[arg(long)]
        admin_email: String,
        /// E-mail address of the member whose access is approved.
        #[arg(long)]
        email: String,
        /// The fingerprint of the member's key, as the member sees it.
        #[arg(long)]
        fingerprint: Option<String>,
    },
    /// Regain access with the recovery key when every password is lost. Reads the
    /// recovery key, then the user's new password, from standard input (one per line).
    Recover {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration, with secrets redacted.
    Show,
}

/// An error as the command line shows it: each cause after the one it
/// explains (as `{:#}` does), with the domain's errors, which carry only
/// codes, in English from `locales/en`.
pub fn explain(error: &anyhow::Error) -> String {
    error
        .chain()
        .map(|cause| match cause.downcast_ref::<DomainError>() {
            Some(e) => in_english(e),
            None => cause.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

fn in_english(error: &DomainError) -> String {
    match error {
        DomainError::Invalid(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, english(f.code)))
            .collect::<Vec<_>>()
            .join("; "),
        DomainError::Delivery(detail) => format!("{}: {detail}", english("error-delivery")),
        // Texts of their own, for the command line and the logs.
        DomainError::Conflict(_)
        | DomainError::Unaudited
        | DomainError::Storage(_)
        | DomainError::Vault(_) => error.to_string(),
        other => english(other.message_id()),
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load()?;
    telemetry::init(&settings);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Init {
            organisation,
            country,
            admin_email,
        } => init(settings, organisation, country, admin_email).await,
        Command::Migrate => {
            open_instance(&settings).await?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::User(command) => user(settings, command).await,
        Command::Backup {
            command: Some(BackupCommand::Verify { file }),
            ..
        } => {
            let manifest = backup::verify(&file)?;
            let rows: usize = manifest.tables.values().sum();
            println!(
                "{} is sound: every entry matches its checksum ({rows} rows, {} files, made by Ward {}).",
                file.display(),
                manifest.files,
                manifest.ward_version
            );
            Ok(())
        }
        Command::Backup { out: None, .. } => {
            anyhow::bail!(
                "say where to write the backup (--out FILE), or `ward backup verify FILE`"
            )
        }
        Command::Backup { out: Some(out), .. } => {
            let manifest = backup::create(&settings, &out).await?;
            let rows: usize = manifest.tables.values().sum();
            println!(
                "Backup written to {} ({rows} rows, {} files).",
                out.display(),
                manifest.files
            );
            Ok(())
        }
        Command::Restore { from } => {
            let manifest = backup::restore(&settings, &from).await?;
            let rows: usize = manifest.tables.values().sum();
            println!(
                "Restored {} ({rows} rows, {} files) into {}.",
                from.display(),
                manifest.files,
                settings.data_dir.display()
            );
            Ok(())
        }
        Command::Config(ConfigCommand::Show) => {
            print!("{}", settings.redacted_toml());
            Ok(())
        }
        Command::Audit(AuditCommand::Verify) => verify_audit_log(settings).await,
        Command::Organisation(command) => organisation(settings, command).await,
        Command::CleanPdf => {
            // `main` runs it before starting the runtime; reached only when
            // the library's `run` is called directly.
            match crate::domain::uploads::pdf::child_main() {
                0 => Ok(()),
                _ => anyhow::bail!("the PDF could not be cleaned"),
            }
        }
    }
}

/// How `ward serve` says where it listens, on standard output.
pub const LISTENING: &str = "Ward is listening on";

/// Reads a starting `ward serve`'s standard output to its end, on a thread
/// of its own (so that the server never writes to a closed pipe), and sends
/// the port it says it listens on.
pub fn announced_port(
    stdout: impl std::io::Read + Send + 'static,
) -> std::sync::mpsc::Receiver<u16> {
    let (tx, port) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(found) = line
                .strip_prefix(LISTENING)
                .and_then(|address| address.trim().rsplit_once(':'))
                .and_then(|(_, port)| port.parse::<u16>().ok())
            {
                let _ = tx.send(found);
            }
        }
    });
    port
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(settings).await?;
    tracing::info!(port = app.port(), metrics_port = ?app.metrics_port(), "Ward is listening");
    // On standard output, whatever the log level: with port 0 (any free
    // port), this line is how a supervisor or a test learns the port.
    println!(
        "{LISTENING} {}:{}",
        app.state().settings.listen.ip(),
        app.port()
    );
    if let Some(link) = app.setup_link().await? {
        // Printed, not logged: the link is a secret meant for the person at the terminal.
        eprintln!(
            "\n  Ward is not set up yet. Open this one-time link to create the organisation\n  and the first administrator (it expires in 24 hours):\n\n    {link}\n"
        );
    }
    app.run_until_stopped(shutdown_signal()).await
}

/// What a domain function needs, for the command line (which has no
/// sign-in to guard: its own guard of unknown sign-ins stays empty).
fn context<'a>(
    (db, files, key): &'a (
        crate::domain::Database,
        crate::domain::FileStore,
        crate::vault::InstanceKey,
    ),
    unknown_sign_ins: &'a crate::domain::sign_in_guard::UnknownSignIns,
) -> crate::domain::Context<'a> {
    crate::domain::Context {
        db,
        files,
        key,
        unknown_sign_ins,
    }
}

async fn organisation(settings: Settings, command: OrganisationCommand) -> anyhow::Result<()> {
    let instance = open_instance(&settings).await?;
    let guard = Default::default();
    let ctx = context(&instance, &guard);
    match command {
        OrganisationCommand::Add {
            name,
            country,
            admin_email,
        } => {
            anyhow::ensure!(
                setup::is_complete(ctx).await?,
                "set up the first organisation first (the setup link, or `ward init`)"
            );
            let request = SetupRequest {
                organisation: OrganisationName::parse(&name)?,
                country: CountryCode::parse(&country)?,
                email: Email::parse(&admin_email)?,
                password: Password::parse(&read_secret("Administrator's password: ")?)?,
                totp_secret: totp::new_secret(),
            };
            let outcome = setup::add_organisation(ctx, request).await?;
            println!("Organisation added.");
            println!("Authenticator (add to an app): {}", outcome.otpauth_uri);
            println!(
                "Recovery key (shown once; keep it offline and safe): {}",
                outcome.recovery_key.as_str()
            );
            println!(
                "Administrator's recovery codes (each signs in once instead of an authenticator code): {}",
                outcome.recovery_codes.join(" ")
            );
        }
        OrganisationCommand::List => {
            println!("{:<40} {:<8} COVERS", "NAME", "COUNTRY");
            for o in crate::storage::organisations::all(ctx.db).await? {
                let covers = if o.covers_all_countries != 0 {
                    "every country"
                } else {
                    "its country and routed ones"
                };
                println!("{:<40} {:<8} {covers}", o.name, o.country);
            }
        }
    }
    ctx.db.close().await;
    Ok(())
}

async fn verify_audit_log(settings: Settings) -> anyhow::Result<()> {
    let (db, _, key) = open_existing_instance(&settings).await?;
    let verification = audit::verify(&db, &key).await?;
    db.close().await;
    match verification.broken {
        None => {
            println!(
                "The audit log is intact: {} entries, each linked to the one before.",
                verification.entries
            );
            Ok(())
        }
        Some(broken) => anyhow::bail!(
            "the audit log is broken at entry {}: {} ({} entries before it are intact)",
            broken.seq,
            broken.reason,
            verification.entries
        ),
    }
}

async fn init(
    settings: Settings,
    organisation: String,
    country: String,
    email: String,
) -> anyhow::Result<()> {
    let instance = open_instance(&settings).await?;
    let guard = Default::default();
    let ctx = context(&instance, &guard);
    let organisation = OrganisationName::parse(&organisation)?;
    let country = CountryCode::parse(&country)?;
    let email = Email::parse(&email)?;
    let password = Password::parse(&read_secret("Administrator's password: ")?)?;
    let totp_secret = totp::new_secret();
    let outcome = setup::complete_setup(
        ctx,
        None,
        SetupRequest {
            organisation,
            country,
            email,
            password,
            totp_secret,
        },
    )
    .await?;
    println!("Organisation created.");
    println!("Authenticator (add to an app): {}", outcome.otpauth_uri);
    println!(
        "Recovery key (shown once; keep it offline and safe): {}",
        outcome.recovery_key.as_str()
    );
    println!(
        "Administrator's recovery codes (each signs in once instead of an authenticator code): {}",
        outcome.recovery_codes.join(" ")
    );
    Ok(())
}

async fn user(settings: Settings, command: UserCommand) -> anyhow::Result<()> {
    let instance = open_instance(&settings).await?;
    let guard = Default::default();
    let ctx = context(&instance, &guard);
    let (db, key) = (ctx.db, ctx.key);
    match command {
        UserCommand::Add { email, role } => {
            let email = Email::parse(&email)?;
            let role = Role::parse(&role)?;
            let password = Password::parse(&read_secret("Password: ")?)?;
            let user = accounts::add_user(db, key, email.clone(), role, password).await?;
            println!(
                "User added. Authenticator (add to an app): {}",
                user.otpauth_uri
            );
            println!("They can read reports once an administrator signs in and grants access.");
        }
        UserCommand::List => {
            let users = accounts::list_users(db).await?;
            println!(
                "{:<40} {:<11} {:<9} {:<8} ORGANISATION",
                "E-MAIL", "ROLE", "STATE", "ACCESS"
            );
            for u in users {
                let state = if u.disabled != 0 {
                    "disabled"
                } else {
                    "active"
                };
                let access = if u.has_access != 0 {
                    "granted"
                } else {
                    "pending"
                };
                println!(
                    "{:<40} {:<11} {:<9} {:<8} {}",
                    u.email, u.role, state, access, u.organisation
                );
            }
        }
        UserCommand::Disable { email } => {
            let email = Email::parse(&email)?;
            crate::domain::members::set_disabled_from_command_line(db, key, &email, true)
                .await
                .context("no such user")?;
            println!("User disabled.");
        }
        UserCommand::Enable { email } => {
            let email = Email::parse(&email)?;
            crate::domain::members::set_disabled_from_command_line(db, key, &email, false)
                .await
                .context("no such user")?;
            println!("User enabled.");
        }
        UserCommand::Grant {
            admin_email,
            email,
            fingerprint,
        } => {
            let member = crate::storage::users::find_by_email(db, Email::parse(&email)?.as_str())
                .await?
                .context("no such user")?;
            let shown = crate::vault::fingerprint(&member.public_key);
            let Some(fingerprint) = fingerprint else {
                println!("Fingerprint of {email}'s key: {shown}");
                println!(
                    "Compare it with the one on the member's account page, then run again with --fingerprint \"{shown}\"."
                );
                return Ok(());
            };
            let admin = Email::parse(&admin_email)?;
            let password = Password::parse(&read_secret("Administrator's password: ")?)?;
            let actor = accounts::unlock(db, &admin, &password)
                .await?
                .into_actor()?;
            crate::domain::members::approve_access(ctx, &actor, &member.id, &fingerprint).await?;
            println!("Access approved for {email}.");
        }
        UserCommand::Recover { email } => {
            let email = Email::parse(&email)?;
            let recovery_key = read_secret("Recovery key: ")?;
            let password = Password::parse(&read_secret("New password: ")?)?;
            accounts::recover_with_key(db, key, &recovery_key, &email, password).await?;
            println!("Access restored: {email} can sign in with the new password.");
        }
    }
    db.close().await;
    Ok(())
}

/// Reads one line from standard input; prompts (on stderr) when it is a terminal.
fn read_secret(prompt: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{prompt}");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let line = line.trim_end_matches(['\r', '\n']).to_string();
    anyhow::ensure!(
        !line.is_empty(),
        "expected {} on standard input",
        prompt.trim_end_matches([':', ' ']).to_lowercase()
    );
    Ok(line)
}
