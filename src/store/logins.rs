//! People's logins on a team server. On a server, who acts is the database login: each
//! person has a login role of their own, in the group of their role, made and changed by
//! the schema's `parakh_*_login` functions (which check that an admin calls them). A
//! desk's file has no logins (the program signs people in itself), so there these do
//! nothing.

use super::Tx;
use super::sql::Dialect;
use crate::error::Result;
use crate::model::Role;

impl Tx<'_> {
    /// Gives `name` a login on the server, in the group of `role`, with `password`
    /// (sent as a SCRAM verifier, never in the clear).
    pub fn create_login(&self, name: &str, role: Role, password: &str) -> Result<()> {
        if self.dialect() != Dialect::Postgres {
            return Ok(());
        }
        let verifier = postgres_protocol::password::scram_sha_256(password.as_bytes());
        self.value::<String>(
            "SELECT CAST(parakh_create_login(?1, ?2, ?3) AS TEXT)",
            crate::args![name, role.as_str(), verifier],
        )?;
        Ok(())
    }

    /// Moves `name`'s login into the group of `role`.
    pub fn set_login_role(&self, name: &str, role: Role) -> Result<()> {
        if self.dialect() != Dialect::Postgres {
            return Ok(());
        }
        self.value::<String>(
            "SELECT CAST(parakh_set_login_role(?1, ?2) AS TEXT)",
            crate::args![name, role.as_str()],
        )?;
        Ok(())
    }

    /// Sets the password of `name`'s login.
    pub fn set_login_password(&self, name: &str, password: &str) -> Result<()> {
        if self.dialect() != Dialect::Postgres {
            return Ok(());
        }
        let verifier = postgres_protocol::password::scram_sha_256(password.as_bytes());
        self.value::<String>(
            "SELECT CAST(parakh_set_login_password(?1, ?2) AS TEXT)",
            crate::args![name, verifier],
        )?;
        Ok(())
    }
}
