//! The inbox query: an organisation's reports, filtered and sorted, one page
//! at a time. Pages continue from the last row's sort key (keyset
//! pagination), so the hundredth page costs what the first does; every sort
//! has an index that starts with the organisation (migration 0004).

use super::{Database, StorageResult, sql};

/// Orders of the inbox; each is one index's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InboxOrder {
    /// Cases whose reporter wrote since a member last opened them, then
    /// new reports, then the rest; newest first within each.
    Triage,
    Newest,
    Oldest,
    /// Urgent first, then by priority, then newest first.
    Priority,
}

impl InboxOrder {
    /// The sort columns, most significant first (the row id always ends the key).
    fn columns(self) -> &'static [&'static str] {
        match self {
            InboxOrder::Triage => &["r.inbox_rank", "r.created_at"],
            InboxOrder::Newest | InboxOrder::Oldest => &["r.created_at"],
            InboxOrder::Priority => &["r.urgent", "r.priority", "r.created_at"],
        }
    }

    /// Every value the leading sort columns can take. Listing them lets the
    /// database seek a date range inside each value of the index, instead of
    /// reading the index from the top until the range begins.
    fn leading_values(self) -> &'static [&'static str] {
        match self {
            InboxOrder::Triage => &["r.inbox_rank IN (0, 1, 2)"],
            InboxOrder::Newest | InboxOrder::Oldest => &[],
            InboxOrder::Priority => &["r.urgent IN (0, 1)", "r.priority IN (0, 1, 2)"],
        }
    }

    fn descending(self) -> bool {
        self != InboxOrder::Oldest
    }

    /// The sort key of a row, to continue after it.
    pub fn key_of(self, row: &InboxRow) -> Vec<i64> {
        match self {
            InboxOrder::Triage => vec![row.inbox_rank, row.created_at],
            InboxOrder::Newest | InboxOrder::Oldest => vec![row.created_at],
            InboxOrder::Priority => vec![row.urgent, row.priority, row.created_at],
        }
    }
}

/// Conditions on the inbox; each is optional.
#[derive(Clone, Debug, Default)]
pub struct InboxConditions {
    pub status: Option<String>,
    pub category: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    /// `Some(None)`: reports nobody is assigned to.
    pub assignee: Option<Option<String>>,
    pub urgent: Option<bool>,
    pub priority: Option<i64>,
    pub label_id: Option<String>,
    pub referral: Option<ReferralCondition>,
    pub created_from: Option<i64>,
    pub created_until: Option<i64>,
}

/// What a row of the inbox shows: nothing sealed.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InboxRow {
    pub id: String,
    pub category: String,
    pub country: String,
    pub language: String,
    pub status: String,
    pub created_at: i64,
    pub inbox_rank: i64,
    pub priority: i64,
    pub urgent: i64,
    pub assignee_email: Option<String>,
}

/// Reports with a referral in some state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReferralCondition {
    /// Any referral at all.
    Any,
    /// A referral in this state.
    State(String),
    /// A referral sent and not acknowledged by this time (milliseconds).
    OverdueAt(i64),
}

enum Bind {
    Text(String),
    Int(i64),
}

/// WHERE clauses and their values, numbered as they are added.
struct Clauses {
    binds: Vec<Bind>,
    wheres: Vec<String>,
}

impl Clauses {
    /// Adds a clause whose `?` stands for `value`.
    fn add(&mut self, clause: &str, value: Bind) {
        self.binds.push(value);
        let placeholder = self.placeholder();
        self.wheres.push(clause.replace('?', &placeholder));
    }

    fn placeholder(&self) -> String {
        format!("${}", self.binds.len())
    }
}

/// One page of the inbox: up to `limit` rows after the row whose sort key is `after`.
pub async fn page(
    db: &Database,
    organisation_id: &str,
    conditions: &InboxConditions,
    order: InboxOrder,
    after: Option<(&[i64], &str)>,
    limit: i64,
) -> StorageResult<Vec<InboxRow>> {
    let mut q = Clauses {
        binds: vec![Bind::Text(organisation_id.to_string())],
        wheres: vec!["r.organisation_id = $1".to_string()],
    };
    let text = |v: &Option<String>| v.clone().map(Bind::Text);
    for (column, value) in [
        ("r.status", text(&conditions.status)),
        ("r.category", text(&conditions.category)),
        ("r.country", text(&conditions.country)),
        ("r.language", text(&conditions.language)),
    ] {
        if let Some(value) = value {
            q.add(&format!("{column} = ?"), value);
        }
    }
    match &conditions.assignee {
        Some(Some(user)) => q.add("r.assignee_id = ?", Bind::Text(user.clone())),
        Some(None) => q.wheres.push("r.assignee_id IS NULL".into()),
        None => {}
    }
    if let Some(urgent) = conditions.urgent {
        q.add("r.urgent = ?", Bind::Int(i64::from(urgent)));
    }
    if let Some(priority) = conditions.priority {
        q.add("r.priority = ?", Bind::Int(priority));
    }
    if let Some(label) = &conditions.label_id {
        q.add(
            "r.id IN (SELECT report_id FROM report_labels WHERE label_id = ?)",
            Bind::Text(label.clone()),
        );
    }
    match &conditions.referral {
        Some(ReferralCondition::Any) => q
            .wheres
            .push("r.id IN (SELECT report_id FROM referrals WHERE organisation_id = $1)".into()),
        Some(ReferralCondition::State(state)) => q.add(
            "r.id IN (SELECT report_id FROM referrals WHERE organisation_id = $1 AND state = ?)",
            Bind::Text(state.clone()),
        ),
        Some(ReferralCondition::OverdueAt(now)) => q.add(
            "r.id IN (SELECT report_id FROM referrals WHERE organisation_id = $1 \
             AND state = 'sent' AND due_at < ?)",
            Bind::Int(*now),
        ),
        None => {}
    }
    if let Some(from) = conditions.created_from {
        q.add("r.created_at >= ?", Bind::Int(from));
    }
    if let Some(until) = conditions.created_until {
        q.add("r.created_at < ?", Bind::Int(until));
    }
    if conditions.created_from.is_some() || conditions.created_until.is_some() {
        q.wheres
            .extend(order.leading_values().iter().map(|c| c.to_string()));
    }
    let mut columns: Vec<&str> = order.columns().to_vec();
    columns.push("r.id");
    if let Some((key, id)) = after {
        // A row value comparison: (a, b, id) < (x, y, z) continues the sort.
        let mut placeholders = Vec::new();
        for value in key {
            q.binds.push(Bind::Int(*value));
            placeholders.push(q.placeholder());
        }
        q.binds.push(Bind::Text(id.to_string()));
        placeholders.push(q.placeholder());
        q.wheres.push(format!(
            "({}) {} ({})",
            columns.join(", "),
            if order.descending() { "<" } else { ">" },
            placeholders.join(", ")
        ));
    }
    let direction = if order.descending() { "DESC" } else { "ASC" };
    let order_by: Vec<String> = columns.iter().map(|c| format!("{c} {direction}")).collect();
    q.binds.push(Bind::Int(limit));
    let query_text = format!(
        "SELECT r.id, r.category, r.country, r.language, r.status, r.created_at, r.inbox_rank, \
                r.priority, r.urgent, u.email AS assignee_email \
         FROM reports r LEFT JOIN users u ON u.id = r.assignee_id \
         WHERE {} ORDER BY {} LIMIT ${}",
        q.wheres.join(" AND "),
        order_by.join(", "),
        q.binds.len()
    );
    let mut query = sqlx::query_as::<_, InboxRow>(sql(query_text));
    for bind in q.binds {
        query = match bind {
            Bind::Text(v) => query.bind(v),
            Bind::Int(v) => query.bind(v),
        };
    }
    Ok(query.fetch_all(db.pool()).await?)
}
