//! What the case view shows of referrals and transfers: the referrals made,
//! the recipients the form offers (suggested ones first), and the
//! organisations a case may be transferred to.

use crate::domain::DomainResult;
use crate::domain::actor::{Actor, Permission};
use crate::domain::cases::CaseView;
use crate::domain::recipients;
use crate::domain::referrals::transfer;
use crate::domain::referrals::{self, Outcome};
use crate::i18n;
use crate::web::AppState;
use crate::web::backoffice::inbox::codes;
use crate::web::backoffice::page::{Choice, choices, coded_choices};
use crate::web::public::followup::format_date;
use crate::web::templates::Tr;

/// A referral as the case lists it.
pub struct ReferralItem {
    pub id: String,
    pub recipient: String,
    pub channel: String,
    pub state_code: &'static str,
    pub state: String,
    pub overdue: bool,
    pub prepared: String,
    pub sent: Option<String>,
    pub due: Option<String>,
    pub acknowledged: Option<String>,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
}

/// A recipient the referral form offers.
pub struct RecipientOption {
    pub id: String,
    pub name: String,
    pub detail: String,
    /// A rule suggests it for this case's country and category.
    pub suggested: bool,
}

pub struct TransferItem {
    pub sent: bool,
    pub organisation: String,
    pub date: String,
}

/// What the case view shows of referrals and transfers.
pub struct Referrals {
    pub items: Vec<ReferralItem>,
    pub recipients: Vec<RecipientOption>,
    /// The reporter agreed to be contacted by the authorities.
    pub may_contact: bool,
    pub outcomes: Vec<Choice>,
    pub destinations: Vec<Choice>,
    pub transfers: Vec<TransferItem>,
}

impl Referrals {
    pub async fn of_case(
        state: &AppState,
        tr: Tr,
        actor: &Actor,
        view: &CaseView,
    ) -> DomainResult<Self> {
        let ctx = state.ctx();
        let case = &view.case;
        let items = referrals::for_case(ctx, actor, &case.id)
            .await?
            .into_iter()
            .map(|r| ReferralItem {
                id: r.id,
                recipient: r.recipient,
                channel: tr.t(&format!("referral-channel-{}", r.channel.as_str())),
                state_code: r.state.as_str(),
                state: tr.t(&format!("referral-state-{}", r.state.as_str())),
                overdue: r.overdue,
                prepared: format_date(r.created_at),
                sent: r.sent_at.map(format_date),
                due: r.due_at.map(format_date),
                acknowledged: r.acknowledged_at.map(format_date),
                outcome: r
                    .outcome
                    .map(|o| tr.t(&format!("referral-outcome-{}", o.as_str()))),
                outcome_note: r.outcome_note,
            })
            .collect();
        let suggested = recipients::suggested(ctx, actor, &case.country, &case.category).await?;
        let mut options: Vec<RecipientOption> = recipients::list(ctx, actor)
            .await?
            .into_iter()
            .filter(|r| !r.disabled)
            .map(|r| RecipientOption {
                suggested: suggested.contains(&r.id),
                detail: format!(
                    "{}, {}",
                    tr.t(&format!("recipient-kind-{}", r.kind)),
                    i18n::country_name(tr.code(), &r.country)
                ),
                id: r.id,
                name: r.name,
            })
            .collect();
        // Suggested recipients first.
        options.sort_by_key(|o| !o.suggested);
        let transfers = transfer::of_case(ctx, actor, &case.id)
            .await?
            .into_iter()
            .map(|t| TransferItem {
                sent: t.sent,
                organisation: t.other_organisation,
                date: format_date(t.at),
            })
            .collect();
        let destinations = if actor.may(Permission::CloseReports) {
            choices(transfer::destinations(ctx, actor).await?, "")
        } else {
            Vec::new()
        };
        Ok(Self {
            items,
            recipients: options,
            may_contact: view
                .content
                .as_ref()
                .and_then(|c| c.contact.as_ref())
                .is_some_and(|c| c.may_contact),
            outcomes: coded_choices(
                tr,
                &codes(Outcome::ALL, |o| o.as_str()),
                "referral-outcome-",
                "",
            ),
            destinations,
            transfers,
        })
    }
}
