// Entry of the mock bundle the browser tests load before the app (Playwright
// `addInitScript`): Tauri's own `mockIPC` takes the place of
// `window.__TAURI_INTERNALS__`, with event mocking on, and hands every
// command to the synthetic backend. Answers go through JSON like the real IPC
// does (bigints arrive as numbers), in a later task as over the real IPC;
// command errors reject with the `CommandError` object, as Tauri rejects
// with the serialized error.
//
// The test picks the start state and the caseload's size with
// `window.__VELDWERK_MOCK__` (default: locked, small), set by an earlier init
// script. `window.veldwerkMock` lets the test emit events and read the calls.

import { emit as emitEvent } from '@tauri-apps/api/event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { createBackend, Rejection, type MockOptions } from './backend';

type Call = { cmd: string; args: unknown };

declare global {
  interface Window {
    __VELDWERK_MOCK__?: Partial<MockOptions>;
    veldwerkMock: {
      calls: Call[];
      commands: string[];
      emit(event: string, payload: unknown): void;
      idleLock(): void;
    };
  }
}

function wire(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
}

function emit(event: string, payload: unknown): void {
  // Through the mocked event plugin, so `listen` handlers get `{ event, id, payload }`.
  void emitEvent(event, wire(payload));
}

const backend = createBackend({ start: 'locked', busy: false, ...window.__VELDWERK_MOCK__ }, emit);
const calls: Call[] = [];

/** Like the real IPC, the answer comes in a later task, never within the caller's microtasks. */
function later<T>(work: () => T): Promise<T> {
  return new Promise((resolve, reject) => setTimeout(() => {
    try {
      resolve(work());
    } catch (e) {
      reject(e);
    }
  }));
}

mockIPC(
  (cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: wire(a) });
    return later(() => {
      try {
        return wire(backend.call(cmd, a));
      } catch (e) {
        if (e instanceof Rejection) throw wire(e.error);
        throw e;
      }
    });
  },
  { shouldMockEvents: true },
);

window.veldwerkMock = { calls, commands: backend.commands, emit, idleLock: backend.idleLock };
