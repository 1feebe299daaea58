// The session the unlocked screens share: who is working, and the latest sync
// status (kept up to date by the `sync-status` event).

import * as api from './api';
import type { Session } from './bindings/Session';
import type { SyncOverview } from './bindings/SyncOverview';

class SessionState {
  user = $state<Session | null>(null);
  sync = $state<SyncOverview | null>(null);
  /** How many `sync-status` events arrived: see `askSyncStatus`. */
  syncEvents = 0;
}

export const current = new SessionState();

/** A `sync-status` event: always the newest status. */
export function syncStatusEvent(overview: SyncOverview): void {
  current.syncEvents += 1;
  current.sync = overview;
}

/**
 * Set the sync status from a command's answer (`sync_status`, `sync_now`),
 * unless an event arrived while the command ran: the answer may then be older
 * than the event (a status read while the sync was still busy, answered after
 * it finished), and would put "bezig" back on screen after "gesynchroniseerd".
 */
export async function askSyncStatus(ask: () => Promise<SyncOverview>): Promise<void> {
  const seen = current.syncEvents;
  const overview = await ask();
  if (current.syncEvents === seen) current.sync = overview;
}

/** "Nu synchroniseren": the Dutch message when the sync could not be asked for, else null. */
export async function requestSync(): Promise<string | null> {
  try {
    await askSyncStatus(api.syncNow);
    return null;
  } catch (e) {
    return api.errorMessage(e);
  }
}
