//! The network of organisations on one instance: the coordinating
//! organisation (the first one, which also receives what no rule routes
//! elsewhere), routing of new reports by country, and which countries no
//! organisation covers (the public site then says where to report instead).

use super::actor::{Actor, Permission};
use super::audit::{Action, Entry};
use super::change::Change;
use super::values::{CountryCode, Role};
use super::{Context, DomainError, DomainResult};
use crate::storage::organisations::{self, OrganisationRow};
use crate::storage::{Database, now_millis, routing};

/// Administrators of the coordinating organisation manage what the whole
/// instance shares: the countries directory and the routing of reports.
/// The organisation the public site speaks for: the coordinating one (set
/// up first), by name and country.
pub struct PublicOrganisation {
    pub name: String,
    pub country: String,
}

/// The organisation the public site speaks for, or none before setup.
pub async fn public_organisation(ctx: Context<'_>) -> DomainResult<Option<PublicOrganisation>> {
    Ok(organisations::default_organisation(ctx.db)
        .await?
        .map(|o| PublicOrganisation {
            name: o.name,
            country: o.country,
        }))
}

pub async fn require_coordinator(ctx: Context<'_>, actor: &Actor) -> DomainResult<()> {
    actor.require(Permission::ManageUsers)?;
    let coordinating = organisations::default_organisation(ctx.db)
        .await?
        .ok_or(DomainError::NotOpen)?;
    if actor.role != Role::Admin || actor.organisation_id != coordinating.id {
        return Err(DomainError::Forbidden);
    }
    Ok(())
}

/// Whether the actor may manage the network (for showing its pages).
pub async fn is_coordinator(ctx: Context<'_>, actor: &Actor) -> DomainResult<bool> {
    match require_coordinator(ctx, actor).await {
        Ok(()) => Ok(true),
        Err(DomainError::Forbidden) => Ok(false),
        Err(other) => Err(other),
    }
}

/// The organisation that handles a new report: a rule for the country of the
/// incident, then one for the reporter's country, then an organisation of
/// the incident's country, then of the reporter's, then the coordinating one.
pub async fn route(
    db: &Database,
    incident_country: &str,
    reporter_country: Option<&str>,
) -> DomainResult<OrganisationRow> {
    let countries = std::iter::once(incident_country).chain(reporter_country);
    for country in countries.clone() {
        if let Some(id) = routing::organisation_for(db, country).await?
            && let Some(organisation) = organisations::get(db, &id).await?
        {
            return Ok(organisation);
        }
    }
    for country in countries {
        if let Some(organisation) = organisations::of_country(db, country).await? {
            return Ok(organisation);
        }
    }
    organisations::default_organisation(db)
        .await?
        .ok_or(DomainError::NotOpen)
}

/// Whether some organisation of the instance takes reports about a country.
pub async fn covers(ctx: Context<'_>, country: &str) -> DomainResult<bool> {
    let db = ctx.db;
    Ok(organisations::any_covers_all(db).await?
        || routing::organisation_for(db, country).await?.is_some()
        || organisations::of_country(db, country).await?.is_some())
}

/// The network as its coordinators see it.
pub struct Network {
    pub organisations: Vec<OrganisationRow>,
    /// (country, organisation id, organisation name)
    pub rules: Vec<(String, String, String)>,
}

pub async fn overview(ctx: Context<'_>, actor: &Actor) -> DomainResult<Network> {
    require_coordinator(ctx, actor).await?;
    Ok(Network {
        organisations: organisations::all(ctx.db).await?,
        rules: routing::all(ctx.db).await?,
    })
}

/// Sends a country's new reports to an organisation of the instance.
pub async fn set_rule(
    ctx: Context<'_>,
    actor: &Actor,
    country: &str,
    organisation_id: &str,
) -> DomainResult<()> {
    require_coordinator(ctx, actor).await?;
    let country = CountryCode::parse(country)?;
    let organisation = organisations::get(ctx.db, organisation_id)
        .await?
        .ok_or_else(|| DomainError::invalid("organisation", "invalid-option"))?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    routing::set(&mut tx, country.as_str(), &organisation.id, now_millis()).await?;
    let entry = Entry::by(actor, Action::RoutingChanged, "country", country.as_str())
        .with_detail(format!("to {}", organisation.name));
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a country's rule.
pub async fn remove_rule(ctx: Context<'_>, actor: &Actor, country: &str) -> DomainResult<()> {
    require_coordinator(ctx, actor).await?;
    let country = CountryCode::parse(country)?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    if routing::remove(&mut tx, country.as_str()).await? {
        let entry = Entry::by(actor, Action::RoutingChanged, "country", country.as_str())
            .with_detail("rule removed");
        tx.record(entry).await?;
    }
    tx.commit_if_recorded().await?;
    Ok(())
}

/// Whether an organisation takes reports about every country.
pub async fn set_covers_all(
    ctx: Context<'_>,
    actor: &Actor,
    organisation_id: &str,
    covers_all: bool,
) -> DomainResult<()> {
    require_coordinator(ctx, actor).await?;
    let organisation = organisations::get(ctx.db, organisation_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    organisations::set_covers_all(&mut tx, &organisation.id, covers_all).await?;
    let entry = Entry::by(
        actor,
        Action::RoutingChanged,
        "organisation",
        &organisation.id,
    )
    .with_detail(format!("covers every country: {covers_all}"));
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(())
}
