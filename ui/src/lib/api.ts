// The UI's only door to the Rust side: one typed function per Tauri command,
// and the two events the app emits. Nothing else in the UI calls `invoke` or
// `listen` (tests mock the IPC underneath this file).
//
// Types come from `./bindings/`, generated from Rust by ts-rs; never edit those
// files by hand. A failing command rejects with a `CommandError`
// (`{ code, message }`); outside Tauri, or if the IPC bridge breaks, it rejects
// with something else. Screens decide what to tell the user and never show a
// raw exception (see `errorMessage`).

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { AppInfo } from './bindings/AppInfo';
import type { CaseView } from './bindings/CaseView';
import type { Caseload } from './bindings/Caseload';
import type { CaseloadFilter } from './bindings/CaseloadFilter';
import type { CaseloadOptions } from './bindings/CaseloadOptions';
import type { CloseOptions } from './bindings/CloseOptions';
import type { CommandError } from './bindings/CommandError';
import type { ConflictPick } from './bindings/ConflictPick';
import type { ConflictView } from './bindings/ConflictView';
import type { EnrollRequest } from './bindings/EnrollRequest';
import type { FollowupTask } from './bindings/FollowupTask';
import type { HomeVisitForm } from './bindings/HomeVisitForm';
import type { HomeVisitInput } from './bindings/HomeVisitInput';
import type { HomeVisitSaved } from './bindings/HomeVisitSaved';
import type { LetterRequest } from './bindings/LetterRequest';
import type { LetterTemplate } from './bindings/LetterTemplate';
import type { LockedEvent } from './bindings/LockedEvent';
import type { PassphraseChange } from './bindings/PassphraseChange';
import type { PrintedLetter } from './bindings/PrintedLetter';
import type { Session } from './bindings/Session';
import type { Settings } from './bindings/Settings';
import type { SyncOverview } from './bindings/SyncOverview';
import type { Today } from './bindings/Today';
import type { Outreach } from './bindings/Outreach';
import type { PrintedBatch } from './bindings/PrintedBatch';
import type { PrintedCards } from './bindings/PrintedCards';
import type { SpreekuurDay } from './bindings/SpreekuurDay';
import type { YouthMatch } from './bindings/YouthMatch';
import type { ConversationInput } from './bindings/ConversationInput';
import type { WalkInInput } from './bindings/WalkInInput';
import type { GroupSessionInput } from './bindings/GroupSessionInput';

export type {
  AppInfo,
  CaseView,
  Caseload,
  CaseloadFilter,
  CaseloadOptions,
  CloseOptions,
  CommandError,
  ConflictPick,
  ConflictView,
  EnrollRequest,
  FollowupTask,
  HomeVisitForm,
  HomeVisitInput,
  HomeVisitSaved,
  LetterRequest,
  LetterTemplate,
  LockedEvent,
  PassphraseChange,
  PrintedLetter,
  Session,
  Settings,
  SyncOverview,
  Today,
  Outreach,
  PrintedBatch,
  PrintedCards,
  SpreekuurDay,
  YouthMatch,
  ConversationInput,
  WalkInInput,
  GroupSessionInput,
};

/** Names of the events the Rust side emits. */
export const events = {
  locked: 'vault-locked',
  sync: 'sync-status',
} as const;

const GENERIC_ERROR =
  'Er ging iets mis in Veldwerk. Probeer het opnieuw. Lukt het niet, neem dan contact op met uw beheerder.';

/** Whether `e` is a `CommandError` from a command (and not a broken bridge). */
export function isCommandError(e: unknown): e is CommandError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as CommandError).code === 'string' &&
    typeof (e as CommandError).message === 'string'
  );
}

/** The Dutch message to show for any rejection: a command's own message, or a generic one. */
export function errorMessage(e: unknown): string {
  return isCommandError(e) ? e.message : GENERIC_ERROR;
}

// ---- session ----------------------------------------------------------------

/** The app's version, whether this device already holds a vault, and whether it is open. */
export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>('app_info');
}

export function session(): Promise<Session> {
  return invoke<Session>('session');
}

/** Enrolls this device with the bureau's server and creates the vault. */
export function enroll(request: EnrollRequest): Promise<Session> {
  return invoke<Session>('enroll', { request });
}

export function unlock(passphrase: string): Promise<Session> {
  return invoke<Session>('unlock', { passphrase });
}

/** Locks now: the vault closes, printed PDFs are wiped. */
export function lock(): Promise<void> {
  return invoke<void>('lock');
}

/** Tells the app the user is active (restarts the lock timeout). */
export function touch(): Promise<void> {
  return invoke<void>('touch');
}

// ---- caseload ------------------------------------------------------------------

export function today(): Promise<Today> {
  return invoke<Today>('today');
}

export function caseloadOptions(): Promise<CaseloadOptions> {
  return invoke<CaseloadOptions>('caseload_options');
}

export function caseload(filter: CaseloadFilter): Promise<Caseload> {
  return invoke<Caseload>('caseload', { filter });
}

export function caseDetail(caseId: string): Promise<CaseView> {
  return invoke<CaseView>('case_detail', { caseId });
}

// ---- field work -------------------------------------------------------------------

export function homeVisitForm(caseId: string): Promise<HomeVisitForm> {
  return invoke<HomeVisitForm>('home_visit_form', { caseId });
}

/** The follow-up tasks the rules propose for an outcome on a date (`2026-11-23`). */
export function homeVisitPreview(caseId: string, date: string, outcome: string): Promise<FollowupTask[]> {
  return invoke<FollowupTask[]>('home_visit_preview', { caseId, date, outcome });
}

export function recordHomeVisit(visit: HomeVisitInput): Promise<HomeVisitSaved> {
  return invoke<HomeVisitSaved>('record_home_visit', { visit });
}

export function closeOptions(caseId: string): Promise<CloseOptions> {
  return invoke<CloseOptions>('close_options', { caseId });
}

export function closeCase(caseId: string, outcome: string): Promise<CaseView> {
  return invoke<CaseView>('close_case', { caseId, outcome });
}

// ---- outreach ------------------------------------------------------------------

/** The three-week outreach sequence of a VSV case, with its progress. */
export function outreach(caseId: string): Promise<Outreach> {
  return invoke<Outreach>('outreach', { caseId });
}

/** Plans the sequence's steps as tasks on the case. */
export function startOutreach(caseId: string): Promise<Outreach> {
  return invoke<Outreach>('start_outreach', { caseId });
}

/** After a reaction: drops the steps still open. */
export function stopOutreach(caseId: string): Promise<Outreach> {
  return invoke<Outreach>('stop_outreach', { caseId });
}

// ---- spreekuur -------------------------------------------------------------------

/** The spreekuur conversations planned on `date` (`2026-11-23`) and what the forms offer. */
export function spreekuurDay(date: string): Promise<SpreekuurDay> {
  return invoke<SpreekuurDay>('spreekuur_day', { date });
}

/** Young people whose name matches, with their cases (for a walk-in). */
export function findYouth(text: string): Promise<YouthMatch[]> {
  return invoke<YouthMatch[]>('find_youth', { text });
}

export function recordConversation(conversation: ConversationInput): Promise<void> {
  return invoke<void>('record_conversation', { conversation });
}

/** A new youth with a new case; returns the case id. */
export function addWalkIn(walkIn: WalkInInput): Promise<string> {
  return invoke<string>('add_walk_in', { walkIn });
}

/** An anonymous group session: a headcount only. */
export function recordGroupSession(session: GroupSessionInput): Promise<void> {
  return invoke<void>('record_group_session', { session });
}

// ---- letters ----------------------------------------------------------------------

export function letterTemplates(caseId: string): Promise<LetterTemplate[]> {
  return invoke<LetterTemplate[]>('letter_templates', { caseId });
}

/** Renders the letter to a PDF (returned path) and records it on the case. */
export function printLetter(request: LetterRequest): Promise<PrintedLetter> {
  return invoke<PrintedLetter>('print_letter', { request });
}

/** One template for several cases in one PDF; cases that cannot get one are listed. */
export function printLetters(request: LetterRequest, caseIds: string[]): Promise<PrintedBatch> {
  return invoke<PrintedBatch>('print_letters', { request, caseIds });
}

/** A sheet of 10 visit cards printed in advance, each card's code recorded in the vault. */
export function printCards(): Promise<PrintedCards> {
  return invoke<PrintedCards>('print_cards');
}

/** Opens a printed PDF with the system's viewer. */
export function openDocument(path: string): Promise<void> {
  return invoke<void>('open_document', { path });
}

// ---- sync -------------------------------------------------------------------------

export function syncStatus(): Promise<SyncOverview> {
  return invoke<SyncOverview>('sync_status');
}

/** Wakes the background sync; returns at once. */
export function syncNow(): Promise<SyncOverview> {
  return invoke<SyncOverview>('sync_now');
}

export function conflicts(): Promise<ConflictView[]> {
  return invoke<ConflictView[]>('conflicts');
}

export function resolveConflict(conflictId: string, pick: ConflictPick): Promise<void> {
  return invoke<void>('resolve_conflict', { conflictId, pick });
}

// ---- settings ---------------------------------------------------------------------

export function settings(): Promise<Settings> {
  return invoke<Settings>('settings');
}

export function setLockTimeout(minutes: number): Promise<Settings> {
  return invoke<Settings>('set_lock_timeout', { minutes });
}

export function setServerUrl(url: string): Promise<Settings> {
  return invoke<Settings>('set_server_url', { url });
}

export function changePassphrase(change: PassphraseChange): Promise<void> {
  return invoke<void>('change_passphrase', { change });
}

// ---- events -----------------------------------------------------------------------

/** Calls `handler` whenever the vault locks (user, idle timeout, revoked device). */
export function onLocked(handler: (event: LockedEvent) => void): Promise<UnlistenFn> {
  return listen<LockedEvent>(events.locked, (e) => handler(e.payload));
}

/** Calls `handler` on every change of the sync status. */
export function onSyncStatus(handler: (overview: SyncOverview) => void): Promise<UnlistenFn> {
  return listen<SyncOverview>(events.sync, (e) => handler(e.payload));
}
