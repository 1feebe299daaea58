//! The outreach sequence for a new vsv'er: the domain's three-week plan
//! (`vsv_outreach_plan`), started as tasks on the case, with its progress;
//! any reaction ends it and the remaining steps are dropped.

use std::collections::HashMap;

use tauri::State;
use veldwerk_domain::rules::followup::vsv_outreach_plan;
use veldwerk_domain::{CaseKind, ContactKind, ContactOutcome};
use veldwerk_vault::model::{TaskRecord, TimelineEntry};
use veldwerk_vault::{OutreachStatus, Vault};

use super::{parse_id, today};
use crate::error::CommandError;
use crate::state::AppState;
use crate::views::{Outreach, OutreachStep, StepState, coded, ymd};

/// Whether a contact moment means the young person (or family) reacted.
fn is_reaction(kind: Option<ContactKind>, outcome: Option<ContactOutcome>) -> bool {
    kind == Some(ContactKind::QrResponse)
        || matches!(
            outcome,
            Some(
                ContactOutcome::ReactionReceived
                    | ContactOutcome::SpokeWithYouth
                    | ContactOutcome::SpokeWithParent
            )
        )
}

fn outreach_of(
    v: &mut Vault,
    case_id: uuid::Uuid,
) -> Result<(Outreach, Vec<TaskRecord>), CommandError> {
    let day = today();
    let detail = v
        .case_detail(case_id, day)?
        .ok_or_else(CommandError::not_found)?;
    let case = &detail.case;
    let has_phone = detail.youth.as_ref().is_some_and(|y| y.phone.is_some());
    if case.kind != CaseKind::Vsv {
        let none = Outreach {
            applicable: false,
            started: false,
            ended_by_reaction: false,
            has_phone,
            steps: Vec::new(),
        };
        return Ok((none, Vec::new()));
    }
    let mut tasks: HashMap<String, TaskRecord> = HashMap::new();
    let mut reacted = false;
    for entry in &detail.timeline {
        match entry {
            TimelineEntry::Task(t) => {
                tasks.insert(t.title.clone(), t.clone());
            }
            TimelineEntry::ContactMoment(c) => reacted |= is_reaction(c.kind, c.outcome),
            _ => {}
        }
    }
    // The vault keeps when the sequence started and whether a reaction
    // ended it; before it starts, the plan is shown as if starting today.
    let kept = v.outreach(case_id)?;
    reacted |= kept
        .as_ref()
        .is_some_and(|o| o.status == OutreachStatus::Ended);
    let start = kept.as_ref().map_or(day, |o| o.started_on);
    let plan = vsv_outreach_plan(start, has_phone);
    let mut open = Vec::new();
    let steps: Vec<OutreachStep> = plan
        .iter()
        .map(|p| {
            let state = match tasks.get(&p.title) {
                None => StepState::NotPlanned,
                Some(t) if t.done && reacted => StepState::Stopped,
                Some(t) if t.done => StepState::Done,
                Some(t) => {
                    open.push(t.clone());
                    StepState::Open
                }
            };
            OutreachStep {
                title: p.title.clone(),
                explanation: p.explanation.clone(),
                kind: coded!(p.kind),
                due_on: ymd(p.due_on),
                state,
            }
        })
        .collect();
    let started = steps.iter().any(|s| s.state != StepState::NotPlanned);
    Ok((
        Outreach {
            applicable: true,
            started,
            ended_by_reaction: reacted,
            has_phone,
            steps,
        },
        open,
    ))
}

#[tauri::command]
pub async fn outreach(
    state: State<'_, AppState>,
    case_id: String,
) -> Result<Outreach, CommandError> {
    let id = parse_id(&case_id)?;
    state.with_vault(|v| Ok(outreach_of(v, id)?.0))
}

/// Plans the sequence's steps as tasks on the case (those not planned yet).
#[tauri::command]
pub async fn start_outreach(
    state: State<'_, AppState>,
    case_id: String,
) -> Result<Outreach, CommandError> {
    let id = parse_id(&case_id)?;
    state.change_vault(|v| {
        let (current, _) = outreach_of(v, id)?;
        if !current.applicable {
            return Err(CommandError::not_allowed(
                "De kennismakingsreeks hoort bij een VSV-zaak.",
            ));
        }
        if current.started && !current.ended_by_reaction {
            return Ok(current);
        }
        v.start_outreach(id, today(), current.has_phone)?;
        Ok(outreach_of(v, id)?.0)
    })
}

/// After a reaction: the steps still open are dropped (marked done today).
#[tauri::command]
pub async fn stop_outreach(
    state: State<'_, AppState>,
    case_id: String,
) -> Result<Outreach, CommandError> {
    let id = parse_id(&case_id)?;
    state.change_vault(|v| {
        let (_, open) = outreach_of(v, id)?;
        for task in open {
            v.complete_task(task.id, today())?;
        }
        Ok(outreach_of(v, id)?.0)
    })
}
