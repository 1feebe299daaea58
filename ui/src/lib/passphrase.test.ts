import { describe, expect, it } from 'vitest';
import { checkPassphrase } from './passphrase';

describe('the passphrase rule', () => {
  it('asks for a passphrase when none is typed', () => {
    expect(checkPassphrase('', '', 12)).toEqual({ ok: false, problem: 'Kies een wachtwoordzin.' });
  });

  it('says how many characters are still missing', () => {
    expect(checkPassphrase('kort', 'kort', 12)).toEqual({
      ok: false,
      problem: 'Nog 8 tekens nodig: minstens 12 tekens in totaal.',
    });
    expect(checkPassphrase('elf tekens!', 'elf tekens!', 12)).toMatchObject({ problem: expect.stringContaining('Nog 1 teken nodig') });
  });

  it('counts characters, not bytes', () => {
    expect(checkPassphrase('ëëëëëëëëëëëë', 'ëëëëëëëëëëëë', 12).ok).toBe(true);
  });

  it('wants the repetition to match', () => {
    expect(checkPassphrase('fiets lamp regen', 'fiets lamp regel', 12)).toEqual({
      ok: false,
      problem: 'De twee wachtwoordzinnen zijn niet gelijk.',
    });
  });

  it('calls four words strong and a shorter phrase good', () => {
    expect(checkPassphrase('fiets lamp regen boom', 'fiets lamp regen boom', 12)).toEqual({
      ok: true,
      hint: 'Sterke wachtwoordzin.',
    });
    expect(checkPassphrase('paard nietje', 'paard nietje', 12)).toEqual({
      ok: true,
      hint: 'Goed. Langer is nog sterker.',
    });
  });
});
