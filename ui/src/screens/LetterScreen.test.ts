// The letters screen against a faked Tauri IPC boundary: a sheet of visit
// cards is made from the same screen and opened like a letter.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandError } from '../lib/bindings/CommandError';
import type { LetterTemplate } from '../lib/bindings/LetterTemplate';
import LetterScreen from './LetterScreen.svelte';

const templates: LetterTemplate[] = [
  { code: 'uitnodiging_gesprek', label: 'Uitnodiging voor een gesprek', needs: 'appointment', allowed: true, reason: null },
];

type Call = { cmd: string; args: Record<string, unknown> };

function backend(cards: () => unknown): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    switch (cmd) {
      case 'letter_templates':
        return templates;
      case 'print_cards':
        return cards();
      case 'open_document':
        return null;
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return calls;
}

afterEach(() => {
  clearMocks();
});

describe('LetterScreen: visit cards', () => {
  it('makes a sheet of 10 cards and opens the PDF it got back', async () => {
    const calls = backend(() => ({ path: '/tmp/print/kaartjes-1.pdf', pages: 1, cards: 10 }));
    render(LetterScreen, { caseId: 'case-1' });
    await fireEvent.click(await screen.findByRole('button', { name: 'Vel met 10 kaartjes maken' }));
    expect(await screen.findByText('10 kaartjes klaar (1 pagina).')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Openen om te bekijken en af te drukken' }));
    await screen.findByText('De PDF is geopend in uw PDF-lezer.');
    expect(calls.filter((c) => c.cmd === 'print_cards')).toHaveLength(1);
    expect(calls.find((c) => c.cmd === 'open_document')?.args).toEqual({ path: '/tmp/print/kaartjes-1.pdf' });
  });

  it('shows the Dutch message when the cards cannot be made and keeps the screen', async () => {
    const refused: CommandError = {
      code: 'not_allowed',
      message: 'Dit apparaat is niet aangemeld; de QR-code heeft het adres van de server nodig.',
    };
    backend(() => {
      throw refused;
    });
    render(LetterScreen, { caseId: 'case-1' });
    await fireEvent.click(await screen.findByRole('button', { name: 'Vel met 10 kaartjes maken' }));
    expect((await screen.findByRole('alert')).textContent).toContain('niet aangemeld');
    expect(screen.getByRole('button', { name: 'Vel met 10 kaartjes maken' })).toBeTruthy();
  });
});
