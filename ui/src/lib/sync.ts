// The words of the sync status in the corner: offline, busy, synced at 14:32,
// n changes waiting.

import type { SyncOverview } from './bindings/SyncOverview';
import { dutchLocal, formatDate, formatTime } from './format';

export type SyncTone = 'ok' | 'busy' | 'waiting' | 'problem';

export type SyncText = { text: string; tone: SyncTone; detail: string | null };

function changes(n: bigint | number): string {
  const count = Number(n);
  return count === 1 ? '1 wijziging wacht' : `${count} wijzigingen wachten`;
}

/** What the corner says for `overview`; `now` decides whether "om 14:32" needs a date. */
export function syncText(overview: SyncOverview | null, now: Date = new Date()): SyncText {
  if (!overview) return { text: 'Synchronisatie: onbekend', tone: 'waiting', detail: null };
  const s = overview.status;
  const pending = Number(s.pendingOperations);
  const waiting = pending > 0 ? changes(pending) : null;
  if (!overview.enrolled) {
    return { text: 'Niet aangemeld: alleen op dit apparaat', tone: 'waiting', detail: waiting };
  }
  const conflicts = Number(s.openConflicts);
  const conflictText =
    conflicts > 0 ? `${conflicts} ${conflicts === 1 ? 'conflict' : 'conflicten'} om te bekijken` : null;
  const extra = [waiting, conflictText].filter(Boolean).join(' · ') || null;
  switch (s.state) {
    case 'syncing': {
      const p = s.progress;
      const step = p ? (p.phase === 'push' ? 'versturen' : p.phase === 'pull' ? 'ophalen' : 'controleren') : null;
      return { text: step ? `Bezig met synchroniseren (${step})…` : 'Bezig met synchroniseren…', tone: 'busy', detail: extra };
    }
    case 'offline':
      return { text: 'Offline', tone: 'waiting', detail: extra ?? 'Uw werk is veilig op dit apparaat.' };
    case 'error':
      return { text: 'Synchroniseren lukt niet', tone: 'problem', detail: s.lastError?.message ?? extra };
    case 'locked':
      return { text: 'Vergrendeld', tone: 'waiting', detail: null };
    case 'wiped':
      return { text: 'Apparaat afgemeld', tone: 'problem', detail: null };
    default: {
      if (!s.lastSuccessAt) {
        return { text: waiting ? changes(pending) : 'Nog niet gesynchroniseerd', tone: 'waiting', detail: conflictText };
      }
      const at = dutchLocal(s.lastSuccessAt);
      const sameDay = at.slice(0, 10) === dutchLocal(now).slice(0, 10);
      const when = sameDay ? `om ${formatTime(at)}` : `op ${formatDate(at)} om ${formatTime(at)}`;
      return {
        text: `Gesynchroniseerd ${when}`,
        tone: pending > 0 || conflicts > 0 ? 'waiting' : 'ok',
        detail: extra,
      };
    }
  }
}
