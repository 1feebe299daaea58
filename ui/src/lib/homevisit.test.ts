import { describe, expect, it } from 'vitest';
import type { FollowupTask } from './bindings/FollowupTask';
import { applyProposal, normalizeCardCode, visitProblems } from './homevisit';

const task = (title: string, dueOn = '2026-11-30'): FollowupTask => ({
  kind: 'brief_sturen',
  title,
  explanation: 'Omdat niemand thuis was.',
  dueOn,
  letter: null,
});

describe("a visit card's short code", () => {
  it('is written in two groups of five, whatever the user typed', () => {
    expect(normalizeCardCode('7k3qdm9xab')).toBe('7K3QD-M9XAB');
    expect(normalizeCardCode('7K3QD M9XAB')).toBe('7K3QD-M9XAB');
    expect(normalizeCardCode(' 7K3QD-M9XAB ')).toBe('7K3QD-M9XAB');
  });

  it('reads O as 0 and I or L as 1, like the server', () => {
    expect(normalizeCardCode('OOOOO-IIILL')).toBe('00000-11111');
  });

  it('is empty when nothing is typed and invalid when too short or with a U', () => {
    expect(normalizeCardCode('')).toBe('');
    expect(normalizeCardCode('7K3QD')).toBeNull();
    expect(normalizeCardCode('UUUUU-UUUUU')).toBeNull();
  });
});

describe('what blocks saving a home visit', () => {
  const ready = { date: '2026-11-23', time: '14:30', outcome: 'niet_thuis', cardCode: '7K3QD-M9XAB', tasks: [task('Brief sturen')] };

  it('nothing, when everything is filled in', () => {
    expect(visitProblems(ready)).toEqual([]);
  });

  it('a missing outcome, a bad card code and an empty task, each named', () => {
    expect(visitProblems({ ...ready, outcome: '', cardCode: '123', tasks: [task('  ')] })).toEqual([
      'Kies wat er gebeurde.',
      'De code van het kaartje klopt niet: 10 tekens, zoals 7K3QD-M9XAB.',
      'Vervolgtaak 1 heeft geen omschrijving.',
    ]);
  });

  it('a date or time that could not be read', () => {
    expect(visitProblems({ ...ready, date: null, time: null })).toHaveLength(2);
  });
});

describe('the follow-up preview', () => {
  it('shows what the rules propose while the consultant has not changed the list', () => {
    const proposal = [task('Brief sturen'), task('Opnieuw langsgaan', '2026-12-01')];
    const shown = applyProposal([task('Oud voorstel')], false, proposal);

    expect(shown.map((t) => t.title)).toEqual(['Brief sturen', 'Opnieuw langsgaan']);
    expect(shown[0]).not.toBe(proposal[0]);
  });

  it('keeps the consultant’s own edits when the outcome changes', () => {
    const mine = [task('Zelf bedacht')];

    expect(applyProposal(mine, true, [task('Voorstel')])).toBe(mine);
  });
});
