//! A small HTTP/1.1 client with a connection pool (hyper), for load.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::header::{CONTENT_TYPE, COOKIE, HeaderValue};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

#[derive(Clone)]
pub struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
    cookie: Option<String>,
}

pub struct Answer {
    pub status: u16,
    pub set_cookie: Vec<String>,
    pub body: Bytes,
}

impl Http {
    pub fn new(base: &str) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Self {
            client: Client::builder(TokioExecutor::new())
                .pool_max_idle_per_host(1024)
                .build(connector),
            base: base.to_string(),
            cookie: None,
        }
    }

    /// The same client, sending a session cookie.
    pub fn with_cookie(&self, cookie: &str) -> Self {
        Self {
            cookie: Some(cookie.to_string()),
            ..self.clone()
        }
    }

    pub async fn get(&self, path: &str) -> anyhow::Result<Answer> {
        self.send("GET", path, None, Bytes::new()).await
    }

    pub async fn post(
        &self,
        path: &str,
        content_type: &str,
        body: Bytes,
    ) -> anyhow::Result<Answer> {
        self.send("POST", path, Some(content_type), body).await
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: Bytes,
    ) -> anyhow::Result<Answer> {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .body(Full::new(body))?;
        if let Some(content_type) = content_type {
            request
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_str(content_type)?);
        }
        if let Some(cookie) = &self.cookie {
            request
                .headers_mut()
                .insert(COOKIE, HeaderValue::from_str(cookie)?);
        }
        let response = self.client.request(request).await?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_string))
                .collect::<Vec<_>>()
        };
        let set_cookie = header("set-cookie");
        let body = response.into_body().collect().await?.to_bytes();
        Ok(Answer {
            status,
            set_cookie,
            body,
        })
    }
}

/// A `multipart/form-data` body: (content type, bytes).
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Bytes) {
    let boundary = "ward-bench-boundary-7d1f3a";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file_name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (
        format!("multipart/form-data; boundary={boundary}"),
        Bytes::from(body),
    )
}
