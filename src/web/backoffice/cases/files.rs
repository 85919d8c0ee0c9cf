//! Attachments: blurred previews, revealing an image (audited), and downloads (audited).

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::cases::attachments;
use crate::web::AppState;
use crate::web::backoffice::session::Member;
use crate::web::error::AppError;

/// What is served from here is never run or framed, and never cached.
pub fn file_response(content_type: &str, disposition: String, bytes: Vec<u8>) -> Response {
    let mut response = Body::from(bytes).into_response();
    let headers = response.headers_mut();
    let value = |v: &str| {
        HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static("application/octet-stream"))
    };
    headers.insert(header::CONTENT_TYPE, value(content_type));
    headers.insert(header::CONTENT_DISPOSITION, value(&disposition));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    response
}

/// `GET /admin/reports/{report}/attachments/{attachment}/preview`: the blurred greyscale PNG.
pub async fn preview(
    State(state): State<AppState>,
    member: Member,
    Path((report, attachment)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let png =
        attachments::preview(state.ctx(), &member.session.actor, &report, &attachment).await?;
    Ok(match png {
        Some(png) => file_response("image/png", "inline".into(), png),
        // An image that cannot be decoded: a plain grey square instead.
        None => file_response(
            "image/svg+xml",
            "inline".into(),
            PLACEHOLDER.as_bytes().to_vec(),
        ),
    })
}

const PLACEHOLDER: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"180\"><rect width=\"240\" height=\"180\" fill=\"#b1b4b6\"/></svg>";

/// `POST /admin/reports/{report}/attachments/{attachment}/reveal`: records
/// the reveal and shows the case with that one image.
pub async fn reveal(
    State(state): State<AppState>,
    member: Member,
    Path((report, attachment)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let pass =
        attachments::reveal(state.ctx(), &member.session.actor, &report, &attachment).await?;
    Ok(Redirect::to(&format!(
        "/admin/reports/{report}?shown={attachment}&pass={pass}#attachment-{attachment}"
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct ImageQuery {
    #[serde(default)]
    pass: String,
}

/// `GET /admin/reports/{report}/attachments/{attachment}/image?pass=…`: a revealed image.
pub async fn image(
    State(state): State<AppState>,
    member: Member,
    Path((report, attachment)): Path<(String, String)>,
    Query(query): Query<ImageQuery>,
) -> Result<Response, AppError> {
    let file = attachments::revealed_image(
        state.ctx(),
        &member.session.actor,
        &report,
        &attachment,
        &query.pass,
    )
    .await?;
    Ok(file_response(
        &file.metadata.content_type,
        "inline".into(),
        file.bytes.to_vec(),
    ))
}

/// `POST /admin/reports/{report}/attachments/{attachment}/download`
pub async fn download(
    State(state): State<AppState>,
    member: Member,
    Path((report, attachment)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let file =
        attachments::download(state.ctx(), &member.session.actor, &report, &attachment).await?;
    Ok(file_response(
        "application/octet-stream",
        attachment_disposition(&file.metadata.file_name),
        file.bytes.to_vec(),
    ))
}

/// A file to save, named `name`.
pub fn download_response(content_type: &str, name: &str, bytes: Vec<u8>) -> Response {
    file_response(content_type, attachment_disposition(name), bytes)
}

/// `attachment; filename="…"; filename*=UTF-8''…`, safe whatever the name holds.
pub fn attachment_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._- ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let ascii = if ascii.trim().is_empty() {
        "attachment".to_string()
    } else {
        ascii
    };
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn download_names_cannot_break_the_header() {
        let d = super::attachment_disposition("photo \"x\";\r\nSet-Cookie: a.jpg");
        assert!(!d.contains('\r') && !d.contains('\n'));
        assert!(
            d.starts_with("attachment; filename=\"photo _x____Set-Cookie_ a.jpg\""),
            "{d}"
        );
        assert!(
            super::attachment_disposition("été.pdf").contains("filename*=UTF-8''%C3%A9t%C3%A9.pdf")
        );
    }
}
