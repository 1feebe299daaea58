//! The TypeScript bindings of the command types, written to
//! `ui/src/lib/bindings/`. A test checks the checked-in files match what the
//! Rust types generate; run it with `VELDWERK_UPDATE_BINDINGS=1` to rewrite them
//! (`cargo xtask bindings` does that).

use std::path::PathBuf;
use ts_rs::{Config, TS};

/// Where the UI keeps the generated files, relative to this crate.
pub fn bindings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings")
}

/// Every type the UI sees, as (file name, generated TypeScript).
pub fn generate() -> Result<Vec<(String, String)>, ts_rs::ExportError> {
    let cfg = Config::new();
    let mut files = Vec::new();
    macro_rules! add {
        ($($ty:ty),* $(,)?) => {$(
            files.push((format!("{}.ts", <$ty as TS>::ident(&cfg)), <$ty as TS>::export_to_string(&cfg)?));
        )*};
    }
    use crate::views::*;
    add!(
        crate::error::CommandError,
        crate::error::ErrorCode,
        crate::state::LockReason,
        crate::state::LockedEvent,
        crate::state::SyncOverview,
        veldwerk_sync::SyncStatus,
        veldwerk_sync::SyncState,
        veldwerk_sync::SyncProgress,
        veldwerk_sync::SyncPhase,
        veldwerk_sync::StatusError,
        veldwerk_sync::SyncErrorKind,
        Coded,
        AppInfo,
        EnrollRequest,
        Session,
        AgendaItem,
        TaskItem,
        ReactionItem,
        Today,
        CaseloadFilter,
        CaseRow,
        SchoolOption,
        CaseloadOptions,
        Caseload,
        YouthView,
        ContactPersonView,
        SchoolView,
        MeldingView,
        ConsentView,
        TimelineKind,
        TimelineItem,
        CaseView,
        FollowupTask,
        HomeVisitForm,
        HomeVisitInput,
        HomeVisitSaved,
        OutcomeOption,
        CloseOptions,
        LetterNeeds,
        LetterTemplate,
        LetterRequest,
        PrintedLetter,
        PrintedCards,
        SkippedLetter,
        PrintedBatch,
        SpreekuurDay,
        CaseRef,
        YouthMatch,
        ConversationInput,
        WalkInInput,
        GroupSessionInput,
        StepState,
        OutreachStep,
        Outreach,
        ConflictView,
        ConflictPick,
        Settings,
        PassphraseChange,
    );
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_in_typescript_bindings_match_the_rust_types()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = bindings_dir();
        let update = std::env::var_os("VELDWERK_UPDATE_BINDINGS").is_some();
        let mut stale = Vec::new();
        for (name, content) in generate()? {
            let path = dir.join(&name);
            if update {
                std::fs::create_dir_all(&dir)?;
                std::fs::write(&path, &content)?;
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
                stale.push(name);
            }
        }
        assert!(
            stale.is_empty(),
            "TypeScript bindings out of date: {stale:?}; run `cargo xtask bindings`"
        );
        Ok(())
    }
}
