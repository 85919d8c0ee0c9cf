//! E-mail to members: notifications of new reports and one-time links.
//!
//! Ward sends e-mail only when `WARD_SMTP_URL` is set. A notification says
//! that reports arrived and how many, never anything of their content, and
//! reports that arrive close together share one notification
//! (`WARD_NOTIFY_DELAY_SECONDS`), so a burst cannot flood anyone's inbox.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::mpsc;

use crate::config::{Settings, redact_url};
use crate::i18n::{DEFAULT_LANGUAGE, text_with};
use crate::storage::{Database, users};

/// Sends e-mail through the configured SMTP server, or does nothing.
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl Mailer {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let from: Mailbox = settings.mail_from.parse().map_err(|e| {
            anyhow::anyhow!("WARD_MAIL_FROM (mail_from): {e}: {:?}", settings.mail_from)
        })?;
        let transport = match &settings.smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| {
                        anyhow::anyhow!("WARD_SMTP_URL (smtp_url): {e}: {}", redact_url(url))
                    })?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ),
            None => None,
        };
        Ok(Self { transport, from })
    }

    pub fn is_configured(&self) -> bool {
        self.transport.is_some()
    }

    /// Sends one message; false when it was not sent (no server, or a failure, which is logged).
    pub async fn send(&self, to: &str, subject: &str, body: String) -> bool {
        let Some(transport) = &self.transport else {
            return false;
        };
        let Ok(to) = to.parse::<Mailbox>() else {
            return false;
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(body);
        let message = match message {
            Ok(message) => message,
            Err(e) => {
                tracing::warn!(error = %e, "could not build an e-mail");
                return false;
            }
        };
        match transport.send(message).await {
            Ok(_) => true,
            Err(e) => {
                tracing::warn!(error = %e, "could not send an e-mail");
                false
            }
        }
    }

    /// Sends a message with a MIME body of several parts (a referral's PGP/MIME).
    pub async fn send_multipart(
        &self,
        to: &str,
        subject: &str,
        body: lettre::message::MultiPart,
    ) -> Result<(), String> {
        let Some(transport) = &self.transport else {
            return Err("no SMTP server is configured".into());
        };
        let to: Mailbox = to.parse().map_err(|e| format!("the address: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(body)
            .map_err(|e| format!("the message: {e}"))?;
        transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("the SMTP server: {e}"))
    }

    /// Sends a message whose subject and body are translation messages (in English).
    pub async fn send_translated(
        &self,
        to: &str,
        subject_id: &str,
        body_id: &str,
        args: &[(&str, &str)],
    ) -> bool {
        let subject = text_with(DEFAULT_LANGUAGE, subject_id, args);
        let body = text_with(DEFAULT_LANGUAGE, body_id, args);
        self.send(to, &subject, body).await
    }
}

/// Tells members that reports arrived, at most once per delay per organisation.
#[derive(Clone)]
pub struct Notifier {
    tx: Option<mpsc::UnboundedSender<String>>,
}

impl Notifier {
    /// Starts the background sender when e-mail is configured.
    pub fn start(db: Database, mailer: Arc<Mailer>, delay: Duration, base_url: String) -> Self {
        if !mailer.is_configured() {
            return Self { tx: None };
        }
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(rx, db, mailer, delay, base_url));
        Self { tx: Some(tx) }
    }

    /// A notifier that sends nothing.
    pub fn disabled() -> Self {
        Self { tx: None }
    }

    /// A report arrived for this organisation.
    pub fn report_arrived(&self, organisation_id: &str) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(organisation_id.to_string());
        }
    }
}

async fn run(
    mut rx: mpsc::UnboundedReceiver<String>,
    db: Database,
    mailer: Arc<Mailer>,
    delay: Duration,
    base_url: String,
) {
    let link = format!("{base_url}/admin");
    while let Some(first) = rx.recv().await {
        let mut arrived: BTreeMap<String, usize> = BTreeMap::new();
        *arrived.entry(first).or_default() += 1;
        // Gather what else arrives during the delay.
        let window = tokio::time::sleep(delay);
        tokio::pin!(window);
        loop {
            tokio::select! {
                () = &mut window => break,
                next = rx.recv() => match next {
                    Some(org) => *arrived.entry(org).or_default() += 1,
                    None => break,
                },
            }
        }
        for (organisation_id, count) in arrived {
            let recipients = match users::notification_recipients(&db, &organisation_id).await {
                Ok(recipients) => recipients,
                Err(e) => {
                    tracing::warn!(error = %e, "could not list whom to notify");
                    continue;
                }
            };
            let count = count.to_string();
            for to in recipients {
                mailer
                    .send_translated(
                        &to,
                        "mail-new-reports-subject",
                        "mail-new-reports-body",
                        &[("count", &count), ("link", &link)],
                    )
                    .await;
            }
        }
    }
}
