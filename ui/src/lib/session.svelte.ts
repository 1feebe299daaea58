// The session the unlocked screens share: who is working, and the latest sync
// status (kept up to date by the `sync-status` event).

import type { Session } from './bindings/Session';
import type { SyncOverview } from './bindings/SyncOverview';

class SessionState {
  user = $state<Session | null>(null);
  sync = $state<SyncOverview | null>(null);
}

export const current = new SessionState();
