//! A referral by e-mail, to a local SMTP sink: the message is encrypted to
//! the recipient's OpenPGP key, signed with the organisation's, and holds
//! the PDF, the JSON document and the files chosen, which match the case.

use sequoia_openpgp as openpgp;

use openpgp::cert::CertBuilder;
use openpgp::crypto::SessionKey;
use openpgp::packet::{PKESK, SKESK};
use openpgp::parse::Parse;
use openpgp::parse::stream::{
    DecryptionHelper, DecryptorBuilder, MessageLayer, MessageStructure, VerificationHelper,
};
use openpgp::policy::StandardPolicy;
use openpgp::serialize::SerializeInto;
use openpgp::types::SymmetricAlgorithm;
use openpgp::{Cert, Fingerprint, KeyHandle};
use sha2::{Digest, Sha256};

use super::{add_recipient, referrals_of, report_with_contact, unzip};
use crate::backoffice::{attachment_ids, png, signed_in, team};
use crate::helpers::spawn_app_with;
use crate::smtp::smtp_sink;

/// Decrypts with the recipient's secret key and checks the signature
/// against the organisation's certificate.
struct Recipient {
    secret: Cert,
    signer: Cert,
    signature_good: bool,
}

impl VerificationHelper for Recipient {
    fn get_certs(&mut self, _ids: &[KeyHandle]) -> openpgp::Result<Vec<Cert>> {
        Ok(vec![self.signer.clone()])
    }

    fn check(&mut self, structure: MessageStructure) -> openpgp::Result<()> {
        for layer in structure {
            if let MessageLayer::SignatureGroup { results } = layer {
                self.signature_good |= !results.is_empty() && results.iter().all(|r| r.is_ok());
            }
        }
        Ok(())
    }
}

impl DecryptionHelper for Recipient {
    fn decrypt<D>(
        &mut self,
        pkesks: &[PKESK],
        _: &[SKESK],
        algo: Option<SymmetricAlgorithm>,
        mut decrypt: D,
    ) -> openpgp::Result<Option<Fingerprint>>
    where
        D: FnMut(SymmetricAlgorithm, &SessionKey) -> bool,
    {
        let policy = StandardPolicy::new();
        for key in self
            .secret
            .keys()
            .unencrypted_secret()
            .with_policy(&policy, None)
            .for_transport_encryption()
        {
            let mut pair = key.key().clone().into_keypair()?;
            for pkesk in pkesks {
                if pkesk
                    .decrypt(&mut pair, algo)
                    .is_some_and(|(algo, session)| decrypt(algo, &session))
                {
                    return Ok(Some(key.fingerprint()));
                }
            }
        }
        Ok(None)
    }
}

/// Decrypts an armoured message; returns the plaintext and whether the signature is good.
fn decrypt(armoured: &str, secret: &Cert, signer: &Cert) -> (Vec<u8>, bool) {
    use std::io::Read;
    let policy = StandardPolicy::new();
    let helper = Recipient {
        secret: secret.clone(),
        signer: signer.clone(),
        signature_good: false,
    };
    let mut decryptor = DecryptorBuilder::from_bytes(armoured.as_bytes())
        .unwrap()
        .with_policy(&policy, None, helper)
        .unwrap();
    let mut plaintext = Vec::new();
    decryptor.read_to_end(&mut plaintext).unwrap();
    let good = decryptor.helper_ref().signature_good;
    (plaintext, good)
}

/// The leaves of a MIME message: (headers, decoded body).
fn mime_leaves(text: &str) -> Vec<(String, Vec<u8>)> {
    let text = text.replace("\r\n", "\n");
    let (headers, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let headers = headers.replace("\n ", " ").replace("\n\t", " ");
    let content_type = header(&headers, "content-type").unwrap_or_default();
    if content_type.to_ascii_lowercase().starts_with("multipart/") {
        let boundary = content_type
            .split("boundary=")
            .nth(1)
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .trim_matches('"')
            .to_string();
        let mut out = Vec::new();
        for chunk in body.split(&format!("--{boundary}")).skip(1) {
            if chunk.starts_with("--") {
                break;
            }
            out.extend(mime_leaves(chunk.trim_start_matches('\n')));
        }
        return out;
    }
    let body = body.strip_suffix('\n').unwrap_or(body);
    let decoded = match header(&headers, "content-transfer-encoding")
        .unwrap_or_default()
        .to_ascii_lowercase()
        .as_str()
    {
        "base64" => {
            use base64::Engine;
            let compact: String = body.split_whitespace().collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact)
                .unwrap()
        }
        "quoted-printable" => quoted_printable(body),
        _ => body.as_bytes().to_vec(),
    };
    vec![(headers, decoded)]
}

fn header(headers: &str, name: &str) -> Option<String> {
    headers.lines().find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
    })
}

fn quoted_printable(text: &str) -> Vec<u8> {
    let text = text.replace("=\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 3 <= bytes.len()
            && let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// The leaf whose headers name this file.
fn part<'a>(leaves: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &leaves
        .iter()
        .find(|(headers, _)| headers.contains(name))
        .unwrap_or_else(|| panic!("no part named {name}"))
        .1
}

#[tokio::test]
async fn a_referral_by_email_is_encrypted_signed_and_matches_the_case() {
    let (port, received) = smtp_sink().await;
    let app = spawn_app_with(|s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        s.notify_delay_seconds = 3600;
    })
    .await;
    let team = team(&app).await;

    // The police's key pair, made here; Ward only ever sees the public half.
    let (police, _) = CertBuilder::general_purpose(None, Some("Police <referrals@police.example>"))
        .generate()
        .unwrap();
    let public = String::from_utf8(police.armored().to_vec().unwrap()).unwrap();
    let admin = signed_in(&app, &team.admin).await;
    let recipient = add_recipient(
        &admin,
        &[
            (
                "name",
                "Police Grand-Ducale, section protection de la jeunesse",
            ),
            ("country", "LU"),
            ("kind", "police"),
            ("email", "referrals@police.example"),
            ("openpgp_key", &public),
        ],
    )
    .await;

    let image = png(48, 32);
    let report = report_with_contact(
        &app,
        "A man offered money to children at the hotel pool",
        vec![
            ("pool.png", image.clone()),
            ("notes.txt", b"room 12".to_vec()),
        ],
        false,
    )
    .await;
    let files = attachment_ids(&app, &report).await;
    let analyst = signed_in(&app, &team.analyst).await;
    // The reporter did not agree to be contacted by the authorities: asking is refused.
    let r = analyst
        .post(
            &format!("/admin/reports/{report}/referrals"),
            &[
                ("recipients", recipient.as_str()),
                ("include_contact", "yes"),
                ("summary", "x"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(referrals_of(&app, &report).await.is_empty());

    let r = analyst
        .post(
            &format!("/admin/reports/{report}/referrals"),
            &[
                ("recipients", recipient.as_str()),
                ("answers", "description"),
                ("answers", "place_type"),
                ("attachments", files[0].as_str()),
                ("summary", "Offender seen twice; hotel staff informed us."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .contains("notice=referral-prepared")
    );
    let referrals = referrals_of(&app, &report).await;
    assert_eq!(referrals.len(), 1);
    assert_eq!(
        (referrals[0].2.as_str(), referrals[0].3.as_str()),
        ("email", "sent")
    );

    // One message, to the police, that says nothing of the case in the clear.
    let messages = received.lock().unwrap().clone();
    let message = messages
        .iter()
        .find(|m| m.contains("referrals@police.example"))
        .expect("the referral was sent");
    assert!(message.contains("multipart/encrypted"));
    assert!(message.contains("application/pgp-encrypted"));
    for secret in [
        "offered money",
        "Hotel Sol",
        "Offender seen",
        "reporter@example.org",
    ] {
        assert!(!message.contains(secret), "{secret} in the clear");
    }
    let armoured = &message[message.find("-----BEGIN PGP MESSAGE-----").unwrap()
        ..message.find("-----END PGP MESSAGE-----").unwrap() + "-----END PGP MESSAGE-----".len()];

    // It decrypts with the police's secret key, and the organisation signed it.
    let organisation_key = analyst
        .get("/admin/recipients/openpgp-key")
        .await
        .text()
        .await
        .unwrap();
    let signer = Cert::from_bytes(organisation_key.as_bytes()).unwrap();
    assert!(!signer.is_tsk(), "only the public half is given out");
    let (inner, signature_good) = decrypt(armoured, &police, &signer);
    assert!(signature_good, "the organisation's signature verifies");
    let (wrong_signer, _) = CertBuilder::general_purpose(None, Some("Someone else"))
        .generate()
        .unwrap();
    assert!(
        !decrypt(armoured, &police, &wrong_signer).1,
        "another key does not verify it"
    );

    // Inside: the PDF, the JSON and the file chosen, matching the case.
    let leaves = mime_leaves(&String::from_utf8(inner).unwrap());
    let json: serde_json::Value = serde_json::from_slice(part(&leaves, "referral.json")).unwrap();
    let reference = ward::domain::cases::reference(&report);
    assert_eq!(json["case"]["reference"], reference.as_str());
    assert_eq!(json["case"]["category"], "travel-tourism");
    assert_eq!(json["case"]["country"], "TH");
    assert_eq!(json["to"]["kind"], "police");
    assert_eq!(
        json["summary"],
        "Offender seen twice; hotel staff informed us."
    );
    let ids: Vec<&str> = json["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    // In the questionnaire's order: where it happened comes before what happened.
    assert_eq!(
        ids,
        ["place_type", "description"],
        "only the answers chosen"
    );
    assert_eq!(json["answers"][0]["text"][0], "Hotel");
    assert_eq!(
        json["answers"][1]["text"][0],
        "A man offered money to children at the hotel pool"
    );
    assert!(
        json["contact"].is_null(),
        "no contact details without consent"
    );
    let attachments = json["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 1, "only the file chosen");
    assert_eq!(attachments[0]["file_name"], "pool.png");

    let sent_image = part(&leaves, "pool.png");
    assert_eq!(
        attachments[0]["sha256"].as_str().unwrap(),
        hex::encode(Sha256::digest(sent_image))
    );
    let decoded = image::load_from_memory(sent_image).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (48, 32));
    assert!(!leaves.iter().any(|(h, _)| h.contains("notes.txt")));

    let pdf = part(&leaves, "referral.pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let pdf_text = String::from_utf8_lossy(pdf);
    assert!(pdf_text.contains(&reference), "the PDF names the case");
    assert!(
        pdf_text.contains("Offender seen twice"),
        "the PDF has the summary"
    );

    // The case shows the referral as sent, and the audit log has it.
    let (_, page) = analyst.page(&format!("/admin/reports/{report}")).await;
    assert!(page.contains("Encrypted e-mail"), "{page}");
    assert!(page.contains(">Sent<"));
    let actions: Vec<(String,)> =
        sqlx::query_as("SELECT action FROM audit_log WHERE action LIKE 'referral-%' ORDER BY seq")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    let actions: Vec<&str> = actions.iter().map(|(a,)| a.as_str()).collect();
    assert_eq!(actions, ["referral-prepared", "referral-sent"]);
}

#[tokio::test]
async fn a_referral_by_hand_is_downloaded_then_marked_sent_and_its_outcome_recorded() {
    let app = crate::helpers::spawn_app().await;
    let team = team(&app).await;
    let admin = signed_in(&app, &team.admin).await;
    let recipient = add_recipient(
        &admin,
        &[
            ("name", "Parquet de Luxembourg"),
            ("country", "LU"),
            ("kind", "prosecutor"),
        ],
    )
    .await;
    let report = report_with_contact(
        &app,
        "seen at the station",
        vec![("a.png", png(16, 16))],
        true,
    )
    .await;
    let files = attachment_ids(&app, &report).await;
    let analyst = signed_in(&app, &team.analyst).await;
    let r = analyst
        .post(
            &format!("/admin/reports/{report}/referrals"),
            &[
                ("recipients", recipient.as_str()),
                ("answers", "description"),
                ("attachments", files[0].as_str()),
                ("include_contact", "yes"),
                ("summary", "For the prosecutor."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let referral = referrals_of(&app, &report).await.remove(0);
    assert_eq!(
        (referral.2.as_str(), referral.3.as_str()),
        ("manual", "prepared")
    );

    // The package: the PDF, the JSON (with the contact details the reporter agreed to give) and the file.
    let r = analyst
        .post(
            &format!("/admin/reports/{report}/referrals/{}/download", referral.0),
            &[],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let files = unzip(&r.bytes().await.unwrap());
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["referral.pdf", "referral.json", "files/a.png"]);
    let json: serde_json::Value = serde_json::from_slice(&files[1].1).unwrap();
    assert_eq!(json["contact"]["email"], "reporter@example.org");

    // Acknowledging before it went is refused; then sent, acknowledged, outcome.
    let path = |action: &str| format!("/admin/reports/{report}/referrals/{}/{action}", referral.0);
    assert_eq!(analyst.post(&path("acknowledged"), &[]).await.status(), 422);
    assert_eq!(analyst.post(&path("sent"), &[]).await.status(), 303);
    assert_eq!(analyst.post(&path("acknowledged"), &[]).await.status(), 303);
    let r = analyst
        .post(
            &path("outcome"),
            &[
                ("outcome", "investigation-opened"),
                ("note", "file 2026/117"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = analyst.page(&format!("/admin/reports/{report}")).await;
    assert!(page.contains("Investigation opened"));
    assert!(page.contains("file 2026/117"));
    // The note is sealed in the database.
    let (sealed,): (Vec<u8>,) = sqlx::query_as("SELECT sealed_outcome_note FROM referrals")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert!(!String::from_utf8_lossy(&sealed).contains("2026/117"));
}

#[tokio::test]
async fn a_recipient_certificate_swapped_in_the_database_receives_nothing() {
    let (port, received) = smtp_sink().await;
    let app = spawn_app_with(|s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        s.notify_delay_seconds = 3600;
    })
    .await;
    let team = team(&app).await;
    let armoured = |name: &str| {
        let (cert, _) = CertBuilder::general_purpose(None, Some(name))
            .generate()
            .unwrap();
        String::from_utf8(cert.armored().to_vec().unwrap()).unwrap()
    };
    let admin = signed_in(&app, &team.admin).await;
    let recipient = add_recipient(
        &admin,
        &[
            ("name", "Police"),
            ("country", "LU"),
            ("kind", "police"),
            ("email", "referrals@police.example"),
            (
                "openpgp_key",
                &armoured("Police <referrals@police.example>"),
            ),
        ],
    )
    .await;
    // Someone with write access to the database puts their own certificate in.
    sqlx::query("UPDATE recipients SET openpgp_key = $1")
        .bind(armoured("Intruder <referrals@police.example>"))
        .execute(app.state.db.pool())
        .await
        .unwrap();

    let report = report_with_contact(&app, "seen at the pool", vec![], false).await;
    let analyst = signed_in(&app, &team.analyst).await;
    let r = analyst
        .post(
            &format!("/admin/reports/{report}/referrals"),
            &[
                ("recipients", recipient.as_str()),
                ("answers", "description"),
                ("summary", "Offender seen twice."),
            ],
        )
        .await;
    let status = r.status();
    let page = r.text().await.unwrap();
    assert!(
        !received
            .lock()
            .unwrap()
            .iter()
            .any(|m| m.contains("referrals@police.example")),
        "nothing was sent to the swapped certificate ({status}: {page})"
    );
    let refused = crate::backoffice::audit_actions(&app)
        .await
        .into_iter()
        .any(|(action, object, _)| {
            action == "key-refused" && object.as_deref() == Some(&recipient)
        });
    assert!(refused, "{status}: {page}");
}
