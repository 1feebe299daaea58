// The home-visit form against a faked Tauri IPC boundary: the follow-up
// preview appears before saving, can be edited, and what is saved is what
// was shown.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandError } from '../lib/bindings/CommandError';
import type { FollowupTask } from '../lib/bindings/FollowupTask';
import type { HomeVisitForm } from '../lib/bindings/HomeVisitForm';
import HomeVisitScreen from './HomeVisitScreen.svelte';

const form: HomeVisitForm = {
  youthName: 'Zoë Doğan',
  address: 'Lindelaan 12',
  outcomes: [
    { code: 'gesproken_jongere', label: 'Gesproken met de jongere' },
    { code: 'niet_thuis', label: 'Niet thuis, kaartje in de bus' },
  ],
  cardOutcome: 'niet_thuis',
  taskKinds: [
    { code: 'reactie_nagaan', label: 'Reactie nagaan' },
    { code: 'overig', label: 'Overig' },
  ],
};

const proposal: FollowupTask[] = [
  {
    kind: 'reactie_nagaan',
    title: 'Nagaan of het gezin heeft gereageerd',
    explanation: 'Niemand thuis; kijk na een werkweek.',
    dueOn: '2026-11-30',
    letter: null,
  },
];

type Call = { cmd: string; args: Record<string, unknown> };

function backend(save: () => unknown = () => ({ contactMomentId: 'cm-1', tasksCreated: 1 })): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    switch (cmd) {
      case 'home_visit_form':
        return form;
      case 'home_visit_preview':
        return a.outcome === 'niet_thuis' ? proposal : [];
      case 'record_home_visit':
        return save();
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return calls;
}

afterEach(() => {
  clearMocks();
});

describe('HomeVisitScreen', () => {
  it('shows the follow-up the rules propose for "niet thuis" before saving, with the card field', async () => {
    const calls = backend();
    render(HomeVisitScreen, { caseId: 'case-1' });

    await fireEvent.click(await screen.findByLabelText('Niet thuis, kaartje in de bus'));

    const title = (await screen.findByLabelText('Omschrijving')) as HTMLInputElement;
    expect(title.value).toBe('Nagaan of het gezin heeft gereageerd');
    expect((screen.getByLabelText('Uiterlijk') as HTMLInputElement).value).toBe('30-11-2026');
    expect(screen.getByText('Niemand thuis; kijk na een werkweek.')).toBeTruthy();
    expect(screen.getByLabelText('Code van het kaartje')).toBeTruthy();
    const preview = calls.find((c) => c.cmd === 'home_visit_preview');
    expect(preview?.args).toMatchObject({ caseId: 'case-1', outcome: 'niet_thuis' });
    expect(calls.some((c) => c.cmd === 'record_home_visit')).toBe(false);
  });

  it('saves what was shown and edited, with the card code written as printed', async () => {
    const calls = backend();
    render(HomeVisitScreen, { caseId: 'case-1' });

    await fireEvent.click(await screen.findByLabelText('Niet thuis, kaartje in de bus'));
    const title = await screen.findByLabelText('Omschrijving');
    await fireEvent.input(title, { target: { value: 'Na een week opnieuw langs' } });
    await fireEvent.input(screen.getByLabelText('Uiterlijk'), { target: { value: '1-12-2026' } });
    await fireEvent.input(screen.getByLabelText('Code van het kaartje'), { target: { value: '7k3qd m9xab' } });
    await fireEvent.input(screen.getByLabelText('Notitie'), { target: { value: 'Buren zeggen: na vijf uur thuis.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));

    expect((await screen.findByRole('status')).textContent).toContain('Huisbezoek opgeslagen, met 1 vervolgtaak.');
    const saved = calls.find((c) => c.cmd === 'record_home_visit');
    expect(saved?.args.visit).toMatchObject({
      caseId: 'case-1',
      outcome: 'niet_thuis',
      cardCode: '7K3QD-M9XAB',
      note: 'Buren zeggen: na vijf uur thuis.',
      followup: [{ kind: 'reactie_nagaan', title: 'Na een week opnieuw langs', dueOn: '2026-12-01' }],
    });
  });

  it('keeps the edited follow-up when the outcome changes', async () => {
    backend();
    render(HomeVisitScreen, { caseId: 'case-1' });

    await fireEvent.click(await screen.findByLabelText('Niet thuis, kaartje in de bus'));
    await fireEvent.input(await screen.findByLabelText('Omschrijving'), { target: { value: 'Mijn eigen taak' } });
    await fireEvent.click(screen.getByLabelText('Gesproken met de jongere'));

    await vi.waitFor(() =>
      expect((screen.getByLabelText('Omschrijving') as HTMLInputElement).value).toBe('Mijn eigen taak'),
    );
  });

  it('names what blocks saving and does not call the backend', async () => {
    const calls = backend();
    render(HomeVisitScreen, { caseId: 'case-1' });
    await screen.findByLabelText('Niet thuis, kaartje in de bus');

    await fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Kies wat er gebeurde.');
    expect(calls.some((c) => c.cmd === 'record_home_visit')).toBe(false);
  });

  it('keeps everything typed when saving fails', async () => {
    const failure: CommandError = { code: 'changed', message: 'Iemand anders heeft dit intussen gewijzigd.' };
    backend(() => Promise.reject(failure));
    render(HomeVisitScreen, { caseId: 'case-1' });

    await fireEvent.click(await screen.findByLabelText('Niet thuis, kaartje in de bus'));
    await screen.findByLabelText('Omschrijving');
    await fireEvent.input(screen.getByLabelText('Notitie'), { target: { value: 'Belangrijke notitie' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Iemand anders heeft dit intussen gewijzigd.');
    expect((screen.getByLabelText('Notitie') as HTMLTextAreaElement).value).toBe('Belangrijke notitie');
    expect((screen.getByLabelText('Omschrijving') as HTMLInputElement).value).toBe(
      'Nagaan of het gezin heeft gereageerd',
    );
  });
});
