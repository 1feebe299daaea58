//! The bureau's house style as data: name, contact details, signature, logo
//! and colours. Renaming "RMC" to "Doorstroompunt" or changing a phone number
//! is an edit of these settings, never of code or templates.
//!
//! The settings come from a TOML file (`templates/branding.default.toml` is the
//! built-in fictional bureau) or from JSON (the server's branding settings),
//! both with the same English keys. The logo is a separate SVG or PNG file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::PrintError;

const DEFAULT_TOML: &str = include_str!("../../../templates/branding.default.toml");
const DEFAULT_LOGO: &[u8] = include_bytes!("../../../templates/logo.svg");

/// The house style of one bureau.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branding {
    /// Full name in the letterhead: "Leerplicht en Doorstroompunt Regio Voorbeeld".
    pub organisation: String,
    /// How the drop-out service is called in running text ("het Doorstroompunt
    /// helpt je"): "Doorstroompunt", formerly "RMC".
    pub doorstroompunt_name: String,
    /// How the compulsory-education team is called in running text: "Leerplicht".
    pub leerplicht_name: String,
    /// Postal address lines of the bureau, as printed in the letterhead.
    pub address_lines: Vec<String>,
    pub phone: String,
    #[serde(default)]
    pub whatsapp: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    pub signature: Signature,
    pub colours: Colours,
    /// A path to the logo, relative to the TOML file (`logo.svg`, `logo.png`).
    /// Only used by [`Branding::load`]; the bytes end up in [`Branding::logo`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_file: Option<String>,
    /// The logo itself; filled by [`Branding::load`], or set by the caller
    /// when the settings came from the server.
    #[serde(skip)]
    pub logo: Option<Logo>,
}

/// Who signs when a letter is signed on behalf of the bureau rather than by
/// its author, and the line under every signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// The closing words: "Met vriendelijke groet,".
    pub closing: String,
    /// The bureau's signing name: "Team Leerplicht en Doorstroompunt".
    pub name: String,
    /// The line under every signature: "Regio Voorbeeld, namens het college van B en W".
    pub text: String,
}

/// Colours as `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colours {
    /// Headings, the organisation name, rules.
    pub primary: String,
    /// The background of highlighted boxes (appointment, announcement).
    pub light: String,
}

/// A logo in one of the two formats the templates can place.
#[derive(Clone, PartialEq, Eq)]
pub enum Logo {
    Svg(Vec<u8>),
    Png(Vec<u8>),
}

impl Logo {
    pub(crate) fn file_name(&self) -> &'static str {
        match self {
            Self::Svg(_) => "/logo.svg",
            Self::Png(_) => "/logo.png",
        }
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Self::Svg(b) | Self::Png(b) => b,
        }
    }
}

impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Svg(b) => write!(f, "Logo::Svg({} bytes)", b.len()),
            Self::Png(b) => write!(f, "Logo::Png({} bytes)", b.len()),
        }
    }
}

impl Branding {
    /// The built-in fictional bureau "Regio Voorbeeld", from
    /// `templates/branding.default.toml` and `templates/logo.svg`.
    pub fn builtin() -> Result<Self, PrintError> {
        let mut branding = Self::from_toml(DEFAULT_TOML)?;
        branding.logo = Some(Logo::Svg(DEFAULT_LOGO.to_vec()));
        Ok(branding)
    }

    /// Parses TOML settings; the logo is left empty.
    pub fn from_toml(text: &str) -> Result<Self, PrintError> {
        let branding: Self =
            toml::from_str(text).map_err(|e| PrintError::Branding(e.message().to_owned()))?;
        branding.validate()?;
        Ok(branding)
    }

    /// Parses JSON settings (the server's form); the logo is left empty.
    pub fn from_json(text: &str) -> Result<Self, PrintError> {
        let branding: Self =
            serde_json::from_str(text).map_err(|e| PrintError::Branding(e.to_string()))?;
        branding.validate()?;
        Ok(branding)
    }

    /// Reads a TOML file and the logo file it names (SVG or PNG, by extension).
    pub fn load(path: &Path) -> Result<Self, PrintError> {
        let text =
            std::fs::read_to_string(path).map_err(PrintError::io("read the branding file"))?;
        let mut branding = Self::from_toml(&text)?;
        if let Some(name) = &branding.logo_file {
            let logo_path = path.parent().unwrap_or(Path::new(".")).join(name);
            let bytes = std::fs::read(&logo_path).map_err(PrintError::io("read the logo file"))?;
            branding.logo = Some(logo_from(name, bytes)?);
        }
        Ok(branding)
    }

    /// The server's branding settings (what enrollment stored in the vault)
    /// over the built-in defaults: what the server leaves empty keeps the
    /// default, so a half-filled setting still prints a complete letter.
    /// The server's address is one text; each line of it is a letterhead line.
    pub fn from_server(server: &veldwerk_protocol::Branding) -> Result<Self, PrintError> {
        let mut b = Self::builtin()?;
        let given = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        if let Some(name) = given(&server.organisation_name) {
            b.organisation = name;
        }
        let lines: Vec<String> = server.address.lines().filter_map(given).collect();
        if !lines.is_empty() {
            b.address_lines = lines;
        }
        if let Some(phone) = given(&server.phone) {
            b.phone = phone;
        }
        if let Some(whatsapp) = given(&server.whatsapp) {
            b.whatsapp = Some(whatsapp);
        }
        if let Some(website) = given(&server.website) {
            b.website = Some(website);
        }
        if let Some(text) = given(&server.signature_text) {
            b.signature.text = text;
        }
        if let Some(primary) = given(&server.colours.primary) {
            b.colours.primary = primary;
        }
        if let Some(logo) = &server.logo {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(logo.data_base64.trim())
                .map_err(|_| PrintError::Branding("logo is not base64".into()))?;
            b.logo = Some(match logo.media_type.as_str() {
                "image/svg+xml" => Logo::Svg(bytes),
                "image/png" => Logo::Png(bytes),
                _ => {
                    return Err(PrintError::Branding(
                        "logo must be image/svg+xml or image/png".into(),
                    ));
                }
            });
        }
        b.validate()?;
        Ok(b)
    }

    fn validate(&self) -> Result<(), PrintError> {
        if self.organisation.trim().is_empty() {
            return Err(PrintError::Branding(
                "organisation must not be empty".into(),
            ));
        }
        if self.phone.trim().is_empty() {
            return Err(PrintError::Branding("phone must not be empty".into()));
        }
        for (name, colour) in [
            ("colours.primary", &self.colours.primary),
            ("colours.light", &self.colours.light),
        ] {
            let hex = colour.strip_prefix('#').unwrap_or("");
            if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(PrintError::Branding(format!(
                    "{name} must be a colour like #1f5fa8"
                )));
            }
        }
        Ok(())
    }
}

fn logo_from(name: &str, bytes: Vec<u8>) -> Result<Logo, PrintError> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".svg") {
        Ok(Logo::Svg(bytes))
    } else if lower.ends_with(".png") {
        Ok(Logo::Png(bytes))
    } else {
        Err(PrintError::Branding(
            "logo_file must end in .svg or .png".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_branding_parses_and_has_a_logo() -> Result<(), PrintError> {
        let b = Branding::builtin()?;
        assert_eq!(b.doorstroompunt_name, "Doorstroompunt");
        assert!(matches!(b.logo, Some(Logo::Svg(_))));
        Ok(())
    }

    #[test]
    fn renaming_the_service_is_a_settings_change() -> Result<(), PrintError> {
        let text = DEFAULT_TOML.replace(
            "doorstroompunt_name = \"Doorstroompunt\"",
            "doorstroompunt_name = \"RMC\"",
        );
        assert_eq!(Branding::from_toml(&text)?.doorstroompunt_name, "RMC");
        Ok(())
    }

    #[test]
    fn json_settings_round_trip() -> Result<(), PrintError> {
        let b = Branding::builtin()?;
        let json = serde_json::to_string(&b).map_err(|e| PrintError::Branding(e.to_string()))?;
        let back = Branding::from_json(&json)?;
        assert_eq!(back.organisation, b.organisation);
        assert_eq!(back.logo, None);
        Ok(())
    }

    #[test]
    fn server_settings_override_the_defaults_where_given() -> Result<(), PrintError> {
        let server = veldwerk_protocol::Branding {
            organisation_name: "Doorstroompunt Regio Proef".into(),
            address: "Postbus 1\n9999 ZZ  PROEFSTAD".into(),
            phone: "".into(),
            whatsapp: "06 99 99 99 99".into(),
            website: "".into(),
            logo: None,
            signature_text: "Regio Proef".into(),
            colours: veldwerk_protocol::Colours::default(),
        };
        let b = Branding::from_server(&server)?;
        assert_eq!(b.organisation, "Doorstroompunt Regio Proef");
        assert_eq!(b.address_lines, ["Postbus 1", "9999 ZZ  PROEFSTAD"]);
        assert_eq!(
            b.phone,
            Branding::builtin()?.phone,
            "empty keeps the default"
        );
        assert_eq!(b.whatsapp.as_deref(), Some("06 99 99 99 99"));
        assert_eq!(b.colours.primary, "#1d4f91");
        Ok(())
    }

    #[test]
    fn a_bad_colour_is_refused() {
        let text = DEFAULT_TOML.replace("#1f5fa8", "blue");
        assert!(matches!(
            Branding::from_toml(&text),
            Err(PrintError::Branding(_))
        ));
    }
}
