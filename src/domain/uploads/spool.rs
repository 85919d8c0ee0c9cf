//! Files as they arrive, before they are cleaned: never whole in memory.
//!
//! Each file part of a post is written, as it comes in, to a file of its
//! own in the data directory's `spool/` folder, sealed on the way to a key
//! made for it that lives only in memory. The file has no name
//! (`O_TMPFILE`, where the filesystem has it; otherwise it is unlinked as
//! soon as it is made), so it disappears when the request ends, a crash
//! included, and a copy of the disk taken meanwhile, or the blocks left on
//! it afterwards, hold nothing readable.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::domain::{DomainError, DomainResult};
use crate::storage::StorageError;
use crate::vault::{SealWriter, SecretKey};

/// Sealed bytes gathered before one write to the file.
const WRITE_AT: usize = 256 * 1024;

/// A file part being received.
pub struct SpoolWriter {
    file: File,
    sealing: SealWriter<Sealed>,
    sealed: Sealed,
    key: SecretKey,
    len: u64,
}

/// Sealed bytes not yet written to the file, shared with the sealing writer.
#[derive(Clone, Default)]
struct Sealed(Arc<Mutex<Vec<u8>>>);

impl Sealed {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

impl Write for Sealed {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl SpoolWriter {
    /// A new file without a name in `dir`, and its own key.
    pub async fn create(dir: &Path) -> DomainResult<Self> {
        let dir = dir.to_path_buf();
        let file = on_a_thread(move || tempfile::tempfile_in(dir))
            .await
            .map_err(disk)?;
        let key = SecretKey::generate();
        let sealed = Sealed::default();
        let sealing = key.public_key().seal_to(sealed.clone())?;
        Ok(Self {
            file,
            sealing,
            sealed,
            key,
            len: 0,
        })
    }

    /// Bytes received so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Seals a chunk; the sealed bytes reach the file 256 KiB at a time.
    pub async fn write(&mut self, chunk: &[u8]) -> DomainResult<()> {
        self.sealing.write_all(chunk).map_err(disk)?;
        self.len += chunk.len() as u64;
        if self.sealed.len() >= WRITE_AT {
            write_out(&self.file, &self.sealed).await.map_err(disk)?;
        }
        Ok(())
    }

    /// The whole file received.
    pub async fn finish(self) -> DomainResult<SpooledFile> {
        let Self {
            file,
            sealing,
            sealed,
            key,
            len,
        } = self;
        sealing.finish()?;
        write_out(&file, &sealed).await.map_err(disk)?;
        Ok(SpooledFile {
            file: Arc::new(file),
            key: Arc::new(key),
            len,
        })
    }
}

/// Writing to the spool failed: a full disk, most often.
fn disk(e: io::Error) -> DomainError {
    DomainError::Storage(StorageError::Disk(e))
}

/// Writes the sealed bytes gathered so far at the end of the file.
async fn write_out(file: &File, sealed: &Sealed) -> io::Result<()> {
    let bytes = sealed.take();
    let file = file.try_clone()?;
    on_a_thread(move || (&file).write_all(&bytes)).await
}

/// A file received whole, sealed in the spool until it is cleaned.
pub struct SpooledFile {
    file: Arc<File>,
    key: Arc<SecretKey>,
    len: u64,
}

impl SpooledFile {
    /// Its size as it arrived.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Its first `n` bytes (to recognise its type without opening it all).
    pub async fn head(&self, n: usize) -> io::Result<Vec<u8>> {
        let this = Self {
            file: self.file.clone(),
            key: self.key.clone(),
            len: self.len,
        };
        on_a_thread(move || {
            let mut out = Vec::with_capacity(n);
            this.reader()?.take(n as u64).read_to_end(&mut out)?;
            Ok(out)
        })
        .await
    }

    /// A reader that opens the file from its start.
    fn reader(&self) -> io::Result<impl Read + use<>> {
        let file = At {
            file: self.file.clone(),
            at: 0,
        };
        self.key.open_reader(file).map_err(io::Error::other)
    }

    /// Everything, opened.
    pub async fn read_all(self) -> io::Result<Vec<u8>> {
        let expected = usize::try_from(self.len).map_err(io::Error::other)?;
        on_a_thread(move || {
            let mut out = Vec::with_capacity(expected);
            self.reader()?.read_to_end(&mut out)?;
            if out.len() != expected {
                return Err(io::Error::other("a spooled file changed size"));
            }
            Ok(out)
        })
        .await
    }

    /// The bytes on disk, as a copy of the disk would show them (for tests).
    #[doc(hidden)]
    pub fn sealed_bytes_on_disk(&self) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        At {
            file: self.file.clone(),
            at: 0,
        }
        .read_to_end(&mut out)?;
        Ok(out)
    }
}

/// Reads a shared file from a position of its own.
struct At {
    file: Arc<File>,
    at: u64,
}

impl Read for At {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

async fn on_a_thread<T: Send + 'static>(
    f: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(io::Error::other)?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<T>(future: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn a_spooled_file_reads_back_whole_and_its_disk_bytes_hold_no_plaintext() {
        let dir = tempfile::tempdir().unwrap();
        let marker = b"SPOOL-CANARY-7f3a";
        let mut content = Vec::new();
        for i in 0..40_000u32 {
            content.extend_from_slice(marker);
            content.extend_from_slice(&i.to_le_bytes());
        }
        let spooled = run(async {
            let mut writer = SpoolWriter::create(dir.path()).await.unwrap();
            for chunk in content.chunks(7_001) {
                writer.write(chunk).await.unwrap();
            }
            writer.finish().await.unwrap()
        });
        assert_eq!(spooled.len(), content.len() as u64);
        // Nothing with a name stays in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let on_disk = spooled.sealed_bytes_on_disk().unwrap();
        assert!(
            on_disk.len() >= content.len(),
            "everything reached the file"
        );
        assert!(
            !on_disk.windows(marker.len()).any(|w| w == marker),
            "the spool holds the file in clear"
        );
        let head = run(spooled.head(100)).unwrap();
        assert_eq!(&head[..], &content[..100]);
        let back = run(spooled.read_all()).unwrap();
        assert_eq!(&back[..], &content[..]);
    }

    #[test]
    fn an_empty_part_spools_as_an_empty_file() {
        let dir = tempfile::tempdir().unwrap();
        let spooled = run(async {
            SpoolWriter::create(dir.path())
                .await
                .unwrap()
                .finish()
                .await
                .unwrap()
        });
        assert!(spooled.is_empty());
        assert!(run(spooled.read_all()).unwrap().is_empty());
    }
}
