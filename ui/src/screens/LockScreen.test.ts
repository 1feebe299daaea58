// The lock screen against a faked Tauri IPC boundary: `mockIPC` stands in for
// the Rust side, everything of ours (api.ts, the component) is real.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppInfo } from '../lib/bindings/AppInfo';
import type { CommandError } from '../lib/bindings/CommandError';
import LockScreen from './LockScreen.svelte';

const START_FAILED =
  'Veldwerk kon niet starten. Probeer het opnieuw of neem contact op met uw beheerder.';

/** Answers `app_info` with `answer`; any other command is a test failure. */
function backend(answer: () => unknown): string[] {
  const calls: string[] = [];
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd !== 'app_info') {
      throw new Error(`unexpected command ${cmd}`);
    }
    return answer();
  });
  return calls;
}

const info = (vaultExists: boolean): AppInfo => ({ version: '0.1.0', vaultExists });

afterEach(() => {
  clearMocks();
});

describe('LockScreen', () => {
  it('shows the app name as the page heading', () => {
    backend(() => new Promise(() => {}));
    render(LockScreen);

    expect(screen.getByRole('heading', { level: 1, name: 'Veldwerk' })).toBeTruthy();
  });

  it('asks the user to wait while app_info is pending', () => {
    backend(() => new Promise(() => {}));
    render(LockScreen);

    expect(screen.getByRole('status').textContent).toBe('Even geduld…');
    expect(screen.queryByRole('contentinfo')).toBeNull();
  });

  it('offers enrollment with a one-time code when no vault exists', async () => {
    const calls = backend(() => info(false));
    render(LockScreen);

    expect(await screen.findByRole('heading', { level: 2, name: 'Aanmelden bij uw bureau' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Ontgrendelen' })).toBeNull();
    const code = screen.getByLabelText('Eenmalige code') as HTMLInputElement;
    expect(code.disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Aanmelden' }) as HTMLButtonElement).disabled).toBe(true);
    expect(code.getAttribute('aria-describedby')).toContain('enroll-soon');
    expect(screen.getByRole('contentinfo').textContent).toContain('Versie 0.1.0');
    expect(calls).toEqual(['app_info']);
  });

  it('offers unlocking with a passphrase when a vault exists', async () => {
    backend(() => info(true));
    render(LockScreen);

    expect(await screen.findByRole('heading', { level: 2, name: 'Ontgrendelen' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Aanmelden bij uw bureau' })).toBeNull();
    const passphrase = screen.getByLabelText('Wachtwoordzin') as HTMLInputElement;
    expect(passphrase.type).toBe('password');
    expect(passphrase.disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Ontgrendelen' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('contentinfo').textContent).toContain('Versie 0.1.0');
  });

  it('shows a plain Dutch error, not the raw one, when app_info fails', async () => {
    const failure: CommandError = { code: 'internal', message: 'SQLITE_CORRUPT at page 7' };
    backend(() => Promise.reject(failure));
    render(LockScreen);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(START_FAILED);
    expect(document.body.textContent).not.toContain('SQLITE_CORRUPT');
    expect(screen.queryByRole('heading', { level: 2 })).toBeNull();
    expect(screen.queryByRole('contentinfo')).toBeNull();
  });

  it('shows the same error when there is no Tauri runtime at all', async () => {
    // No mockIPC: `invoke` finds no IPC bridge, as in a plain browser.
    render(LockScreen);

    expect((await screen.findByRole('alert')).textContent).toContain(START_FAILED);
  });

  it('tries app_info again when the user asks to', async () => {
    let attempt = 0;
    const calls = backend(() => (++attempt === 1 ? Promise.reject(new Error('busy')) : info(true)));
    render(LockScreen);

    await fireEvent.click(await screen.findByRole('button', { name: 'Opnieuw proberen' }));

    expect(await screen.findByRole('heading', { level: 2, name: 'Ontgrendelen' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(calls).toEqual(['app_info', 'app_info']);
  });
});
