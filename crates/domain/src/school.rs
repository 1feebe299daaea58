//! Schools: the locations where youth are enrolled and where spreekuren are
//! held. Reference data, shared with every user of the bureau.

use serde::{Deserialize, Serialize};

use crate::code::code_enum;
use crate::ids::SchoolId;
use crate::validate::Brin;

code_enum! {
    /// The type of school (onderwijssoort), as the Leerplichtwet names them.
    pub enum SchoolType: "soort school" {
        Po => "po", "Basisschool (po)";
        Sbo => "sbo", "Speciaal basisonderwijs (sbo)";
        So => "so", "Speciaal onderwijs (so)";
        Vso => "vso", "Voortgezet speciaal onderwijs (vso)";
        Vo => "vo", "Voortgezet onderwijs (vo)";
        Mbo => "mbo", "Middelbaar beroepsonderwijs (mbo)";
    }
}

impl SchoolType {
    /// Schools whose leavers without a diploma count as pro/vso leavers or
    /// vsv'ers: everything after primary school.
    pub const fn is_secondary_or_later(self) -> bool {
        matches!(self, Self::Vso | Self::Vo | Self::Mbo)
    }
}

/// A school location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct School {
    pub id: SchoolId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brin: Option<Brin>,
    pub school_type: SchoolType,
    /// The location (vestiging) in words, e.g. the street or campus name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub gemeente: String,
}
