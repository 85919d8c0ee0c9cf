//! Who is acting, and what their role allows. Every back-office action of
//! the domain takes an [`Actor`] and checks a [`Permission`] itself, so a
//! route that forgets a check cannot open what the role may not use.

use super::values::Role;
use super::{DomainError, DomainResult};
use crate::vault::SecretKey;

/// What a back-office user may do. Roles are cumulative: a supervisor may do
/// everything an analyst does, an administrator everything a supervisor does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// The inbox, case view, attachments.
    ReadReports,
    /// Assessment, statuses short of closing, labels, notes, links, messages.
    WorkOnReports,
    /// Assigning reports to members.
    AssignReports,
    /// Closing and reopening cases.
    CloseReports,
    /// Inviting, disabling and enabling members, roles, resets.
    ManageUsers,
    /// Reading the audit log.
    ReadAuditLog,
    /// The directory of authorities and partners, and their portal accounts.
    ManageDirectory,
}

impl Permission {
    /// The least role that holds this permission.
    pub fn least_role(self) -> Role {
        match self {
            Permission::ReadReports | Permission::WorkOnReports => Role::Analyst,
            Permission::AssignReports | Permission::CloseReports => Role::Supervisor,
            Permission::ManageUsers | Permission::ReadAuditLog | Permission::ManageDirectory => {
                Role::Admin
            }
        }
    }
}

impl Role {
    fn rank(self) -> u8 {
        match self {
            Role::Analyst => 0,
            Role::Supervisor => 1,
            Role::Admin => 2,
        }
    }

    pub fn may(self, permission: Permission) -> bool {
        self.rank() >= permission.least_role().rank()
    }
}

/// A signed-in member of an organisation, as the domain sees them.
pub struct Actor {
    pub user_id: String,
    pub organisation_id: String,
    pub email: String,
    pub role: Role,
    /// The organisation's private key, when the member holds a grant.
    pub organisation_key: Option<SecretKey>,
}

impl Actor {
    /// Refuses the action unless the role allows it.
    pub fn require(&self, permission: Permission) -> DomainResult<()> {
        if self.role.may(permission) {
            Ok(())
        } else {
            Err(DomainError::Forbidden)
        }
    }

    /// The organisation's key, for reading sealed content.
    pub fn key(&self) -> DomainResult<&SecretKey> {
        self.organisation_key.as_ref().ok_or(DomainError::NoAccess)
    }

    pub fn may(&self, permission: Permission) -> bool {
        self.role.may(permission)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_cumulative() {
        use Permission::*;
        let all = [
            ReadReports,
            WorkOnReports,
            AssignReports,
            CloseReports,
            ManageUsers,
            ReadAuditLog,
            ManageDirectory,
        ];
        let count = |role: Role| all.iter().filter(|p| role.may(**p)).count();
        assert_eq!(count(Role::Analyst), 2);
        assert_eq!(count(Role::Supervisor), 4);
        assert_eq!(count(Role::Admin), 7);
        assert!(!Role::Analyst.may(CloseReports));
        assert!(!Role::Supervisor.may(ManageUsers));
    }
}
