// The passphrase rule as the enrollment and settings screens explain it. The
// Rust side checks the same rule (its minimum comes in `AppInfo`); this only
// gives feedback while typing.

export type PassphraseCheck =
  | { ok: true; hint: string }
  | { ok: false; problem: string };

/** Checks a new passphrase and its repetition; `min` is the rule's minimum length. */
export function checkPassphrase(passphrase: string, repeat: string, min: number): PassphraseCheck {
  const length = [...passphrase].length;
  if (length === 0) {
    return { ok: false, problem: 'Kies een wachtwoordzin.' };
  }
  if (length < min) {
    const left = min - length;
    return {
      ok: false,
      problem: `Nog ${left} ${left === 1 ? 'teken' : 'tekens'} nodig: minstens ${min} tekens in totaal.`,
    };
  }
  if (repeat !== passphrase) {
    return { ok: false, problem: 'De twee wachtwoordzinnen zijn niet gelijk.' };
  }
  const words = passphrase.trim().split(/\s+/).length;
  return {
    ok: true,
    hint: words >= 4 || length >= 20 ? 'Sterke wachtwoordzin.' : 'Goed. Langer is nog sterker.',
  };
}
