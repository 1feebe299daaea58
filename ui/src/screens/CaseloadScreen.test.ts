// The caseload list against a faked Tauri IPC boundary: searching as you
// type sends the text with the filters, an answer that arrives after a
// newer one never replaces it, and long lists come in pages of 50.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Caseload } from '../lib/bindings/Caseload';
import type { CaseloadOptions } from '../lib/bindings/CaseloadOptions';
import type { CaseRow } from '../lib/bindings/CaseRow';
import CaseloadScreen from './CaseloadScreen.svelte';

const options: CaseloadOptions = {
  kinds: [{ code: 'verzuim', label: 'Verzuim' }],
  statuses: [{ code: 'open', label: 'Open' }],
  gemeenten: ['Utrecht'],
  schools: [],
  sorts: [{ code: 'name', label: 'Naam' }],
};

function row(id: string, youthName: string): CaseRow {
  return {
    id,
    youthName,
    kind: { code: 'verzuim', label: 'Verzuim' },
    soort: null,
    status: { code: 'open', label: 'Open' },
    dueTasks: 0,
    openedOn: '2026-11-02',
    gemeente: 'Utrecht',
    schoolName: null,
    legalStatus: 'Leerplichtig tot en met 31-07-2028',
  };
}

const list = (...rows: CaseRow[]): Caseload => ({ rows, total: rows.length });

afterEach(() => {
  clearMocks();
});

describe('CaseloadScreen', () => {
  it('searches as you type, with the open cases filter, and shows the legal status', async () => {
    const asked: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'caseload_options') return options;
      if (cmd === 'caseload') {
        const filter = (args as { filter: { text: string | null } }).filter;
        asked.push(filter);
        return filter.text === 'dog' ? list(row('c1', 'Zoë Doğan')) : list(row('c1', 'Zoë Doğan'), row('c2', 'Daan Jansen'));
      }
      throw new Error(`unexpected command ${cmd}`);
    });
    render(CaseloadScreen);

    expect(await screen.findByText('Daan Jansen')).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Zoek op naam'), { target: { value: 'dog' } });

    await vi.waitFor(() => expect(screen.queryByText('Daan Jansen')).toBeNull());
    expect(screen.getByText('Zoë Doğan')).toBeTruthy();
    expect(screen.getByText('Leerplichtig tot en met 31-07-2028')).toBeTruthy();
    expect(screen.getByText('02-11-2026')).toBeTruthy();
    expect(asked.at(-1)).toMatchObject({ text: 'dog', status: 'open', dueOnly: false, sort: 'name' });
  });

  it('keeps the newest answer when an older one arrives late', async () => {
    let releaseSlow: (value: Caseload) => void = () => {};
    mockIPC((cmd, args) => {
      if (cmd === 'caseload_options') return options;
      const text = (args as { filter: { text: string | null } }).filter.text;
      if (text === 'd') return new Promise<Caseload>((resolve) => (releaseSlow = resolve));
      if (text === 'da') return list(row('c2', 'Daan Jansen'));
      return list();
    });
    render(CaseloadScreen);
    const field = screen.getByLabelText('Zoek op naam');

    await fireEvent.input(field, { target: { value: 'd' } });
    await fireEvent.input(field, { target: { value: 'da' } });
    expect(await screen.findByText('Daan Jansen')).toBeTruthy();
    releaseSlow(list(row('c1', 'Zoë Doğan')));

    // One macrotask turn: every promise callback queued by the late answer has run.
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.getByText('Daan Jansen')).toBeTruthy();
    expect(screen.queryByText('Zoë Doğan')).toBeNull();
  });

  it('shows 50 rows, more on request, and starts at 50 again for a new query', async () => {
    const many = Array.from({ length: 60 }, (_, i) => row(`c${i}`, `Jongere ${String(i).padStart(2, '0')}`));
    mockIPC((cmd, args) => {
      if (cmd === 'caseload_options') return options;
      const text = (args as { filter: { text: string | null } }).filter.text;
      return text === null ? { rows: many, total: 1200 } : { rows: many.slice(0, 55), total: 55 };
    });
    render(CaseloadScreen);

    expect(await screen.findByText('1200 zaken, de eerste 50 staan hieronder.', { exact: false })).toBeTruthy();
    expect(screen.getAllByRole('row')).toHaveLength(51);
    await fireEvent.click(screen.getByRole('button', { name: 'Toon nog 10 zaken' }));
    expect(screen.getAllByRole('row')).toHaveLength(61);
    expect(screen.getByText('1200 zaken, de eerste 60 staan hieronder.', { exact: false })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Toon nog/ })).toBeNull();

    await fireEvent.input(screen.getByLabelText('Zoek op naam'), { target: { value: 'jong' } });
    expect(await screen.findByText('55 zaken, de eerste 50 staan hieronder.', { exact: false })).toBeTruthy();
    expect(screen.getAllByRole('row')).toHaveLength(51);
  });

  it('offers one letter for the chosen cases', async () => {
    mockIPC((cmd) => (cmd === 'caseload_options' ? options : list(row('c1', 'Zoë Doğan'), row('c2', 'Daan Jansen'))));
    render(CaseloadScreen);

    await fireEvent.click(await screen.findByLabelText('Kies Zoë Doğan'));
    await fireEvent.click(screen.getByLabelText('Kies Daan Jansen'));

    expect(screen.getByRole('button', { name: 'Brief voor 2 gekozen zaken' })).toBeTruthy();
  });
});
