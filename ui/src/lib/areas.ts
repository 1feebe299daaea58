// Grouping the day's home visits by postcode area (the four digits), so the
// visits of one neighbourhood sit together and a route makes sense.

import type { AgendaItem } from './bindings/AgendaItem';

export type AreaGroup = {
  /** `3511`, or `''` when the address is unknown. */
  area: string;
  label: string;
  items: AgendaItem[];
};

/** The four digits of a Dutch postcode (`3511 AB`, `3511ab`), or `''`. */
export function postcodeArea(postcode: string | null): string {
  const m = /^\s*(\d{4})/.exec(postcode ?? '');
  return m?.[1] ?? '';
}

/** Groups by area, areas in postcode order, visits by start time; unknown addresses last. */
export function groupByArea(visits: AgendaItem[]): AreaGroup[] {
  const groups = new Map<string, AgendaItem[]>();
  for (const visit of visits) {
    const area = postcodeArea(visit.postcode);
    const list = groups.get(area) ?? [];
    list.push(visit);
    groups.set(area, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
    .map(([area, items]) => ({
      area,
      label: area === '' ? 'Adres onbekend' : `Postcode ${area}`,
      items: [...items].sort((x, y) => x.startsAt.localeCompare(y.startsAt)),
    }));
}
