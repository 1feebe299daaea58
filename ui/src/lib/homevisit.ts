// The logic of the home-visit form: checking the card's short code as it is
// typed, what still blocks saving, and keeping the consultant's edits to the
// proposed follow-up tasks when the outcome changes.

import type { FollowupTask } from './bindings/FollowupTask';

/** The code alphabet of visit cards (Crockford base32, as printed). */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A card's short code as typed (`7k3qd m9xab`, `7K3QD-M9XAB`) → `7K3QD-M9XAB`;
 * `''` for nothing typed; `null` when it cannot be a code. Like the server,
 * O counts as 0 and I/L as 1.
 */
export function normalizeCardCode(text: string): string | null {
  let code = '';
  for (const raw of text.toUpperCase()) {
    if (raw === ' ' || raw === '-') continue;
    const c = raw === 'O' ? '0' : raw === 'I' || raw === 'L' ? '1' : raw;
    if (!CROCKFORD.includes(c)) return null;
    code += c;
  }
  if (code === '') return '';
  if (code.length !== 10) return null;
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export type VisitDraft = {
  date: string | null;
  time: string | null;
  outcome: string;
  cardCode: string;
  tasks: FollowupTask[];
};

/** What blocks saving, in Dutch, in the order of the form. Empty: ready. */
export function visitProblems(draft: VisitDraft): string[] {
  const problems: string[] = [];
  if (!draft.date) problems.push('Vul een geldige datum in, zoals 23-11-2026.');
  if (!draft.time) problems.push('Vul een geldige tijd in, zoals 14:30.');
  if (!draft.outcome) problems.push('Kies wat er gebeurde.');
  if (normalizeCardCode(draft.cardCode) === null) {
    problems.push('De code van het kaartje klopt niet: 10 tekens, zoals 7K3QD-M9XAB.');
  }
  draft.tasks.forEach((t, i) => {
    if (t.title.trim() === '') problems.push(`Vervolgtaak ${i + 1} heeft geen omschrijving.`);
    if (!t.dueOn) problems.push(`Vervolgtaak ${i + 1} heeft geen geldige datum.`);
  });
  return problems;
}

/**
 * The tasks to show after the rules proposed `proposal` for a new outcome:
 * the proposal, unless the consultant already changed the list; then their
 * list stays (nothing typed is lost).
 */
export function applyProposal<T extends object>(shown: T[], edited: boolean, proposal: T[]): T[] {
  return edited ? shown : proposal.map((t) => ({ ...t }));
}
