import { describe, expect, it } from 'vitest';
import type { AgendaItem } from './bindings/AgendaItem';
import { groupByArea, postcodeArea } from './areas';

function visit(id: string, startsAt: string, postcode: string | null): AgendaItem {
  return {
    id,
    caseId: `case-${id}`,
    youthName: `Jongere ${id}`,
    kind: { code: 'huisbezoek', label: 'Huisbezoek' },
    status: null,
    startsAt,
    endsAt: startsAt,
    location: null,
    address: null,
    postcode,
  };
}

describe('grouping home visits by postcode area', () => {
  it('takes the four digits of a postcode, with or without a space', () => {
    expect(postcodeArea('3511 AB')).toBe('3511');
    expect(postcodeArea('3511ab')).toBe('3511');
    expect(postcodeArea(null)).toBe('');
    expect(postcodeArea('onbekend')).toBe('');
  });

  it('puts visits of one area together, areas in postcode order, each by start time', () => {
    const groups = groupByArea([
      visit('a', '2026-11-23T14:00', '3583 CD'),
      visit('b', '2026-11-23T09:00', '3511 AB'),
      visit('c', '2026-11-23T11:00', '3583 XY'),
      visit('d', '2026-11-23T10:00', '3511 ZZ'),
    ]);

    expect(groups.map((g) => g.label)).toEqual(['Postcode 3511', 'Postcode 3583']);
    expect(groups[0]?.items.map((v) => v.id)).toEqual(['b', 'd']);
    expect(groups[1]?.items.map((v) => v.id)).toEqual(['c', 'a']);
  });

  it('puts visits without a known address last', () => {
    const groups = groupByArea([visit('x', '2026-11-23T08:00', null), visit('y', '2026-11-23T09:00', '9711 AA')]);

    expect(groups.map((g) => g.label)).toEqual(['Postcode 9711', 'Adres onbekend']);
  });

  it('gives no groups for no visits', () => {
    expect(groupByArea([])).toEqual([]);
  });
});
