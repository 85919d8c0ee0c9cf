//! The audited write path (`domain::change`): a change is kept only with
//! its audit entry, committed in the same transaction.

use ward::domain::DomainError;
use ward::domain::audit::{Action, Entry};
use ward::domain::change::Change;
use ward::storage::labels::{self, LabelRow};
use ward::storage::{audit, new_id, now_millis};

use crate::helpers::spawn_app;

fn label(name: &str) -> LabelRow {
    LabelRow {
        id: new_id(),
        name: name.to_string(),
    }
}

#[tokio::test]
async fn a_change_is_kept_only_with_its_audit_entry() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let actor = app.admin_actor().await;
    let ctx = app.state.ctx();
    let org = &actor.organisation_id;
    let label_names = || async {
        labels::all(ctx.db, org)
            .await
            .unwrap()
            .into_iter()
            .map(|l| l.name)
            .collect::<Vec<_>>()
    };
    let head = || async { audit::head(ctx.db).await.unwrap().map(|(seq, _)| seq) };
    let entries_before = head().await;

    // Written, but not recorded: refused, and nothing of it stays.
    let mut change = Change::begin(ctx.db, ctx.key).await.unwrap();
    labels::insert(&mut change, org, &label("unrecorded"), now_millis())
        .await
        .unwrap();
    let refused = change.commit().await;
    assert!(
        matches!(refused, Err(DomainError::Unaudited)),
        "{refused:?}"
    );
    assert!(label_names().await.is_empty());
    assert_eq!(head().await, entries_before);

    // An action that may change nothing keeps nothing when it recorded nothing.
    let mut change = Change::begin(ctx.db, ctx.key).await.unwrap();
    labels::insert(&mut change, org, &label("no-op"), now_millis())
        .await
        .unwrap();
    change.commit_if_recorded().await.unwrap();
    assert!(label_names().await.is_empty());

    // Recorded: the change and its entry are kept together.
    let mut change = Change::begin(ctx.db, ctx.key).await.unwrap();
    let row = label("recorded");
    labels::insert(&mut change, org, &row, now_millis())
        .await
        .unwrap();
    let entry = Entry::by(&actor, Action::LabelAdded, "label", &row.id);
    change.record(entry).await.unwrap();
    change.commit().await.unwrap();
    assert_eq!(label_names().await, ["recorded"]);
    assert_eq!(head().await, Some(entries_before.unwrap_or(0) + 1));
}
