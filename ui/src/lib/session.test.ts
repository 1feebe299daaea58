import { describe, expect, it } from 'vitest';
import type { SyncOverview } from './bindings/SyncOverview';
import { askSyncStatus, current, syncStatusEvent } from './session.svelte';

function overview(state: string, pending: number): SyncOverview {
  return { enrolled: true, status: { state, pendingOps: pending } } as unknown as SyncOverview;
}

describe('the sync status on screen', () => {
  it('keeps an event that arrived while a status was asked for: the answer is older', async () => {
    let answer: (o: SyncOverview) => void = () => {};
    const asked = askSyncStatus(() => new Promise((resolve) => (answer = resolve)));
    // The sync finishes while the command waits for the vault...
    syncStatusEvent(overview('synced', 0));
    // ...and the command answers with what it read before.
    answer(overview('syncing', 2));
    await asked;
    expect(current.sync).toEqual(overview('synced', 0));
  });

  it('takes the answer when no event came in between', async () => {
    syncStatusEvent(overview('synced', 0));
    await askSyncStatus(() => Promise.resolve(overview('offline', 3)));
    expect(current.sync).toEqual(overview('offline', 3));
  });
});
