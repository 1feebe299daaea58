import { describe, expect, it } from 'vitest';
import type { SyncOverview } from './bindings/SyncOverview';
import type { SyncStatus } from './bindings/SyncStatus';
import { syncText } from './sync';

function overview(status: Partial<SyncStatus>, enrolled = true): SyncOverview {
  // The wire carries plain numbers for the u64 counts.
  return {
    enrolled,
    status: {
      state: 'idle',
      online: true,
      pendingOperations: 0 as unknown as bigint,
      rejectedOperations: 0 as unknown as bigint,
      openConflicts: 0 as unknown as bigint,
      lastSuccessAt: null,
      progress: null,
      lastError: null,
      nextAttemptAt: null,
      ...status,
    },
  };
}

const n = (x: number) => x as unknown as bigint;

describe('the sync status in the corner', () => {
  // Instants in UTC; the corner shows Dutch time (CET in November: +1).
  const now = new Date('2026-11-23T14:00:00Z');

  it('says when it last synced, as a time today', () => {
    const at = '2026-11-23T13:32:00Z';
    expect(syncText(overview({ lastSuccessAt: at }), now)).toEqual({
      text: 'Gesynchroniseerd om 14:32',
      tone: 'ok',
      detail: null,
    });
  });

  it('adds the date when the last sync was on another day', () => {
    const at = '2026-11-20T08:05:00Z';
    expect(syncText(overview({ lastSuccessAt: at }), now).text).toBe('Gesynchroniseerd op 20-11-2026 om 09:05');
  });

  it('counts the changes that wait, in singular and plural', () => {
    const at = '2026-11-23T13:32:00Z';
    expect(syncText(overview({ lastSuccessAt: at, pendingOperations: n(1) }), now).detail).toBe('1 wijziging wacht');
    expect(syncText(overview({ state: 'offline', pendingOperations: n(3) }), now)).toEqual({
      text: 'Offline',
      tone: 'waiting',
      detail: '3 wijzigingen wachten',
    });
  });

  it('shows progress while syncing', () => {
    const s = overview({ state: 'syncing', progress: { phase: 'pull', pushed: n(0), pages: 1, records: n(10) } });
    expect(syncText(s, now).text).toBe('Bezig met synchroniseren (ophalen)…');
  });

  it('shows the error message when sync needs a person', () => {
    const s = overview({
      state: 'error',
      lastError: { kind: 'update_required', message: 'Installeer de nieuwe versie.', at: '2026-11-23T14:00:00Z' },
    });
    expect(syncText(s, now)).toMatchObject({ text: 'Synchroniseren lukt niet', tone: 'problem', detail: 'Installeer de nieuwe versie.' });
  });

  it('says a device that is not enrolled keeps everything to itself', () => {
    expect(syncText(overview({ pendingOperations: n(2) }, false), now).text).toBe('Niet aangemeld: alleen op dit apparaat');
  });

  it('points at conflicts to look at', () => {
    const at = '2026-11-23T13:32:00Z';
    expect(syncText(overview({ lastSuccessAt: at, openConflicts: n(2) }), now)).toMatchObject({
      tone: 'waiting',
      detail: '2 conflicten om te bekijken',
    });
  });
});
