//! Group commit for intake. A report is answered only once it is durable,
//! and one disk flush costs about a millisecond; so rather than a
//! transaction per report, one writer task takes every report waiting and
//! commits them together, one flush for the lot. While it commits, the next
//! reports gather; under load the batches grow by themselves.

use tokio::sync::{mpsc, oneshot};

use super::attachments::{self, AttachmentRow};
use super::reports::{self, ReportRow};
use super::{Database, StorageError, StorageResult};

/// Most reports in one transaction.
const MAX_BATCH: usize = 256;
/// Reports waiting for the writer before new ones wait to be queued.
const QUEUE: usize = 4096;

struct Job {
    report: ReportRow,
    attachments: Vec<AttachmentRow>,
    done: oneshot::Sender<StorageResult<()>>,
}

/// The queue to the writer task.
#[derive(Clone, Debug)]
pub struct IntakeWriter {
    tx: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

impl IntakeWriter {
    /// Starts the writer on this database (it ends when the last sender is gone).
    pub fn start(db: Database) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(db, rx));
        Self { tx }
    }

    /// Stores a report and its attachments' rows; returns once they are committed.
    pub async fn insert(
        &self,
        report: ReportRow,
        attachments: Vec<AttachmentRow>,
    ) -> StorageResult<()> {
        let (done, answer) = oneshot::channel();
        let job = Job {
            report,
            attachments,
            done,
        };
        let stopped = || StorageError::Invalid("the intake writer has stopped".into());
        self.tx.send(job).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn run(db: Database, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        match write(&db, &batch).await {
            Ok(()) => {
                for job in batch {
                    let _ = job.done.send(Ok(()));
                }
            }
            // One report that cannot be stored must not fail the others.
            Err(e) if batch.len() == 1 => {
                let _ = batch.remove(0).done.send(Err(e));
            }
            Err(_) => {
                for job in batch {
                    let result = write(&db, std::slice::from_ref(&job)).await;
                    let _ = job.done.send(result);
                }
            }
        }
    }
}

async fn write(db: &Database, batch: &[Job]) -> StorageResult<()> {
    let mut tx = db.begin_write().await?;
    for job in batch {
        reports::insert(&mut tx, &job.report).await?;
        for attachment in &job.attachments {
            attachments::insert(&mut tx, attachment).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
