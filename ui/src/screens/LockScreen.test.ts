// The start screen against a faked Tauri IPC boundary: `mockIPC` stands in for
// the Rust side, everything of ours (api.ts, the component) is real.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppInfo } from '../lib/bindings/AppInfo';
import type { CommandError } from '../lib/bindings/CommandError';
import type { Session } from '../lib/bindings/Session';
import LockScreen from './LockScreen.svelte';

const info = (vaultExists: boolean): AppInfo => ({
  version: '0.1.0',
  vaultExists,
  unlocked: false,
  minPassphraseLength: 12,
});

const session: Session = {
  userName: 'Test Medewerker',
  role: { code: 'leerplichtambtenaar', label: 'Leerplichtambtenaar' },
  boa: true,
  enrolled: true,
  lockTimeoutMinutes: 10,
};

type Call = { cmd: string; args: Record<string, unknown> };

/** Answers commands with `answer`; records every call. */
function backend(answer: (cmd: string, args: Record<string, unknown>) => unknown): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    return answer(cmd, a);
  });
  return calls;
}

afterEach(() => {
  clearMocks();
});

describe('LockScreen, unlocking', () => {
  it('shows the app name as the page heading and the version in the footer', () => {
    render(LockScreen, { info: info(true), onopen: () => {} });

    expect(screen.getByRole('heading', { level: 1, name: 'Veldwerk' })).toBeTruthy();
    expect(screen.getByRole('contentinfo').textContent).toContain('Versie 0.1.0');
  });

  it('unlocks with the passphrase and hands over the session', async () => {
    const calls = backend(() => session);
    const onopen = vi.fn();
    render(LockScreen, { info: info(true), onopen });

    const field = screen.getByLabelText('Wachtwoordzin') as HTMLInputElement;
    expect(field.type).toBe('password');
    await fireEvent.input(field, { target: { value: 'paard batterij nietje' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Ontgrendelen' }));

    await vi.waitFor(() => expect(onopen).toHaveBeenCalledWith(session));
    expect(calls).toEqual([{ cmd: 'unlock', args: { passphrase: 'paard batterij nietje' } }]);
  });

  it('says so when the passphrase is wrong, and keeps what was typed', async () => {
    const wrong: CommandError = { code: 'wrong_passphrase', message: 'Deze wachtwoordzin klopt niet.' };
    backend(() => Promise.reject(wrong));
    const onopen = vi.fn();
    render(LockScreen, { info: info(true), onopen });

    const field = screen.getByLabelText('Wachtwoordzin') as HTMLInputElement;
    await fireEvent.input(field, { target: { value: 'verkeerd' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Ontgrendelen' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Deze wachtwoordzin klopt niet.');
    expect(field.value).toBe('verkeerd');
    expect(onopen).not.toHaveBeenCalled();
  });

  it('asks for a passphrase without calling the backend when the field is empty', async () => {
    const calls = backend(() => session);
    render(LockScreen, { info: info(true), onopen: () => {} });

    await fireEvent.click(screen.getByRole('button', { name: 'Ontgrendelen' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Vul uw wachtwoordzin in.');
    expect(calls).toEqual([]);
  });

  it('shows a generic Dutch error, not the raw one, when the bridge breaks', async () => {
    // No mockIPC: `invoke` finds no IPC bridge, as in a plain browser.
    render(LockScreen, { info: info(true), onopen: () => {} });
    await fireEvent.input(screen.getByLabelText('Wachtwoordzin'), { target: { value: 'iets' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Ontgrendelen' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Er ging iets mis in Veldwerk');
  });

  it('shows why it locked', () => {
    render(LockScreen, { info: info(true), notice: 'Veldwerk is vergrendeld.', onopen: () => {} });

    expect(screen.getByRole('status').textContent).toContain('Veldwerk is vergrendeld.');
  });
});

describe('LockScreen, enrolling', () => {
  async function fill(passphrase: string, repeat: string): Promise<void> {
    await fireEvent.input(screen.getByLabelText('Adres van de server'), {
      target: { value: 'https://veldwerk.voorbeeld.nl' },
    });
    await fireEvent.input(screen.getByLabelText('Eenmalige code'), { target: { value: 'ABCD-EFGH-JKMN' } });
    await fireEvent.input(screen.getByLabelText('Kies een wachtwoordzin'), { target: { value: passphrase } });
    await fireEvent.input(screen.getByLabelText('Herhaal de wachtwoordzin'), { target: { value: repeat } });
  }

  it('offers enrollment when no vault exists', () => {
    render(LockScreen, { info: info(false), onopen: () => {} });

    expect(screen.getByRole('heading', { level: 2, name: 'Aanmelden bij uw bureau' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Ontgrendelen' })).toBeNull();
  });

  it('refuses a short passphrase before calling the server, and says how many characters are missing', async () => {
    const calls = backend(() => session);
    render(LockScreen, { info: info(false), onopen: () => {} });

    await fill('kort', 'kort');
    await fireEvent.click(screen.getByRole('button', { name: 'Aanmelden' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Nog 8 tekens nodig');
    expect(calls).toEqual([]);
  });

  it('enrolls with the trimmed fields and the passphrase', async () => {
    const calls = backend(() => session);
    const onopen = vi.fn();
    render(LockScreen, { info: info(false), onopen });

    await fill('fiets lamp regen boom', 'fiets lamp regen boom');
    await fireEvent.click(screen.getByRole('button', { name: 'Aanmelden' }));

    await vi.waitFor(() => expect(onopen).toHaveBeenCalledWith(session));
    expect(calls).toEqual([
      {
        cmd: 'enroll',
        args: {
          request: {
            serverUrl: 'https://veldwerk.voorbeeld.nl',
            code: 'ABCD-EFGH-JKMN',
            deviceName: 'Laptop',
            passphrase: 'fiets lamp regen boom',
          },
        },
      },
    ]);
  });

  it('shows the server refusal and keeps every field filled in', async () => {
    const refused: CommandError = { code: 'invalid_input', message: 'Deze aanmeldcode klopt niet.' };
    backend(() => Promise.reject(refused));
    render(LockScreen, { info: info(false), onopen: () => {} });

    await fill('fiets lamp regen boom', 'fiets lamp regen boom');
    await fireEvent.click(screen.getByRole('button', { name: 'Aanmelden' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Deze aanmeldcode klopt niet.');
    expect((screen.getByLabelText('Eenmalige code') as HTMLInputElement).value).toBe('ABCD-EFGH-JKMN');
    expect((screen.getByLabelText('Kies een wachtwoordzin') as HTMLInputElement).value).toBe('fiets lamp regen boom');
  });
});
