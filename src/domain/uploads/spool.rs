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
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::domain::{DomainError, DomainResult};
use crate::storage::StorageError;
use crate::vault::{SealWriter, SecretKey};

/// Sealed bytes gathered before one write to the file.
const WRITE_AT: usize = 256 * 1024;
/// Longest wait for room in the spool before a post is told to come back.
pub const ROOM_WAIT: Duration = Duration::from_secs(10);
/// The first bytes of every file take room from a pool of their own (room
/// for 64 such starts), so that a report with a small photo or PDF never
/// waits behind large uploads holding the rest of the spool.
const SMALL_KIB: usize = 1024;
const SMALL_POOL_KIB: usize = 64 * SMALL_KIB;

/// The spool: its folder, and the room left in it (in KiB).
#[derive(Clone)]
pub struct Spool {
    dir: PathBuf,
    small: Arc<Semaphore>,
    large: Arc<Semaphore>,
}

impl Spool {
    /// A spool in `dir` (which must exist) holding at most `bytes` at once
    /// beyond the first MiB of each file.
    pub fn new(dir: PathBuf, bytes: usize) -> Self {
        Self {
            dir,
            small: Arc::new(Semaphore::new(SMALL_POOL_KIB)),
            large: Arc::new(Semaphore::new(bytes / 1024)),
        }
    }

    /// A new file without a name, and its own key.
    pub async fn writer(&self) -> DomainResult<SpoolWriter> {
        let room = [Room::in_pool(&self.small), Room::in_pool(&self.large)];
        SpoolWriter::create(&self.dir, room).await
    }

    /// Bytes of room left beyond the first MiB of each file (for tests).
    pub fn free_bytes(&self) -> usize {
        self.large.available_permits() * 1024
    }
}

/// The room one file holds in one pool, in KiB; given back when dropped.
struct Room {
    pool: Arc<Semaphore>,
    held: Option<OwnedSemaphorePermit>,
}

impl Room {
    fn in_pool(pool: &Arc<Semaphore>) -> Self {
        Self {
            pool: pool.clone(),
            held: None,
        }
    }

    fn kib(&self) -> usize {
        self.held
            .as_ref()
            .map_or(0, OwnedSemaphorePermit::num_permits)
    }

    /// Holds `kib` in all, waiting at most [`ROOM_WAIT`] for the rest.
    async fn grow_to(&mut self, kib: usize) -> DomainResult<()> {
        let Some(more) = kib.checked_sub(self.kib()).filter(|more| *more > 0) else {
            return Ok(());
        };
        let more = u32::try_from(more).map_err(|_| DomainError::Busy)?;
        let permit = match self.pool.clone().try_acquire_many_owned(more) {
            Ok(permit) => permit,
            Err(_) => tokio::time::timeout(ROOM_WAIT, self.pool.clone().acquire_many_owned(more))
                .await
                .map_err(|_| DomainError::Busy)?
                .map_err(|_| DomainError::Busy)?,
        };
        match self.held.as_mut() {
            Some(held) => held.merge(permit),
            None => self.held = Some(permit),
        }
        Ok(())
    }
}

/// A file part being received.
pub struct SpoolWriter {
    file: File,
    sealing: SealWriter<Sealed>,
    sealed: Sealed,
    key: SecretKey,
    len: u64,
    /// The room this file holds (its first MiB, the rest).
    room: [Room; 2],
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
    async fn create(dir: &Path, room: [Room; 2]) -> DomainResult<Self> {
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
            room,
        })
    }

    /// Takes room for the file to grow to `len` bytes, waiting at most
    /// [`ROOM_WAIT`]: a full spool means "busy, come back later".
    async fn make_room(&mut self, len: u64) -> DomainResult<()> {
        let kib = usize::try_from(len.div_ceil(1024)).unwrap_or(usize::MAX);
        let [small, large] = &mut self.room;
        small.grow_to(kib.min(SMALL_KIB)).await?;
        large.grow_to(kib.saturating_sub(SMALL_KIB)).await
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
        self.make_room(self.len + chunk.len() as u64).await?;
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
            room,
            ..
        } = self;
        sealing.finish()?;
        write_out(&file, &sealed).await.map_err(disk)?;
        Ok(SpooledFile {
            file: Arc::new(file),
            key: Arc::new(key),
            len,
            _room: Some(Arc::new(room)),
        })
    }
}

/// Writing to the spool failed: a full disk, most often.
fn disk(e: io::Error) -> DomainError {
    DomainError::Storage(StorageError::Disk(e))
}

/// Spool writes on blocking threads at once, in the whole process: under a
/// flood of uploads the disk may make writes wait, and the other blocking
/// work (a normal report's key derivation, its files) must still find a
/// thread. Uploads beyond it wait here, and TCP slows their senders.
static WRITERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Writes the sealed bytes gathered so far at the end of the file.
async fn write_out(file: &File, sealed: &Sealed) -> io::Result<()> {
    let bytes = sealed.take();
    let file = file.try_clone()?;
    let _writer = WRITERS.acquire().await.map_err(io::Error::other)?;
    on_a_thread(move || (&file).write_all(&bytes)).await
}

/// A file received whole, sealed in the spool until it is cleaned; its
/// room in the spool is given back when it is dropped.
pub struct SpooledFile {
    file: Arc<File>,
    key: Arc<SecretKey>,
    len: u64,
    _room: Option<Arc<[Room; 2]>>,
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
            _room: None,
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
        let spool = Spool::new(dir.path().to_path_buf(), 1024 * 1024 * 1024);
        let spooled = run(async {
            let mut writer = spool.writer().await.unwrap();
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
        let spool = Spool::new(dir.path().to_path_buf(), 1024 * 1024 * 1024);
        let spooled = run(async { spool.writer().await.unwrap().finish().await.unwrap() });
        assert!(spooled.is_empty());
        assert!(run(spooled.read_all()).unwrap().is_empty());
    }

    #[test]
    fn files_in_the_spool_hold_room_until_they_are_dropped_and_a_full_spool_is_busy() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::new(dir.path().to_path_buf(), 1024 * 1024);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap();
        let mib = 1024 * 1024;
        runtime.block_on(async {
            // The first MiB of a file takes no room from the rest of the spool.
            let mut first = spool.writer().await.unwrap();
            first.write(&vec![b'a'; mib]).await.unwrap();
            assert_eq!(spool.free_bytes(), mib);
            first.write(&vec![b'a'; 600 * 1024]).await.unwrap();
            let first = first.finish().await.unwrap();
            assert_eq!(spool.free_bytes(), 424 * 1024);
            // A second file finds no room for its 500 KiB beyond its first
            // MiB, waits, then is told to come back.
            let mut second = spool.writer().await.unwrap();
            second.write(&vec![b'b'; mib + 400 * 1024]).await.unwrap();
            let refused = second.write(&[b'b'; 100 * 1024]).await;
            assert!(
                matches!(refused, Err(DomainError::Busy)),
                "a full spool is busy"
            );
            drop(second);
            assert_eq!(
                spool.free_bytes(),
                424 * 1024,
                "a dropped part gives its room back"
            );
            // A small file still goes in while the spool is full.
            let mut small = spool.writer().await.unwrap();
            small.write(&[b's'; 300 * 1024]).await.unwrap();
            let _small = small.finish().await.unwrap();
            // Once the first is cleaned (dropped), its room comes back.
            let read = first.head(4).await.unwrap();
            assert_eq!(read, b"aaaa");
            drop(first);
            assert_eq!(spool.free_bytes(), mib);
            let mut third = spool.writer().await.unwrap();
            third.write(&vec![b'c'; mib + 900 * 1024]).await.unwrap();
        });
    }
}
