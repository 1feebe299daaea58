import { describe, expect, it } from 'vitest';
import { addDays, dutchClock, dutchLocal, dutchToday, formatDate, formatDateTime, formatTime, parseClockTime, parseDutchDate } from './format';

describe('formatting dates and times the Dutch way', () => {
  it('writes an ISO date as day-month-year', () => {
    expect(formatDate('2026-11-23')).toBe('23-11-2026');
    expect(formatDate('2026-11-23T14:30')).toBe('23-11-2026');
  });

  it('writes the time as hours:minutes and a date-time as both', () => {
    expect(formatTime('2026-11-23T14:30')).toBe('14:30');
    expect(formatTime('2026-11-23')).toBe('');
    expect(formatDateTime('2026-11-23T09:05')).toBe('23-11-2026 09:05');
    expect(formatDateTime('2026-11-23')).toBe('23-11-2026');
  });

  it('leaves empty values empty', () => {
    expect(formatDate(null)).toBe('');
    expect(formatTime(undefined)).toBe('');
  });
});

describe('reading typed dates and times', () => {
  const today = new Date(2026, 10, 23);

  it('reads 23-11-2026, 23/11/26 and 2026-11-23', () => {
    expect(parseDutchDate('23-11-2026', today)).toBe('2026-11-23');
    expect(parseDutchDate('23/11/26', today)).toBe('2026-11-23');
    expect(parseDutchDate('2026-11-23', today)).toBe('2026-11-23');
    expect(parseDutchDate(' 1-2-2027 ', today)).toBe('2027-02-01');
  });

  it('refuses dates that do not exist', () => {
    expect(parseDutchDate('31-11-2026', today)).toBeNull();
    expect(parseDutchDate('29-02-2027', today)).toBeNull();
    expect(parseDutchDate('morgen', today)).toBeNull();
  });

  it('reads 14:30, 1430 and 9.05 as clock times, and refuses 24:00', () => {
    expect(parseClockTime('14:30')).toBe('14:30');
    expect(parseClockTime('1430')).toBe('14:30');
    expect(parseClockTime('9.05')).toBe('09:05');
    expect(parseClockTime('24:00')).toBeNull();
    expect(parseClockTime('14:60')).toBeNull();
  });
});

describe('dutchLocal', () => {
  it('shows Dutch time whatever the machine runs: CET in winter, CEST in summer', () => {
    expect(dutchLocal('2026-11-23T13:32:00Z')).toBe('2026-11-23T14:32');
    expect(dutchLocal('2026-07-01T09:15:00Z')).toBe('2026-07-01T11:15');
    // 23:30 UTC is already the next day in the Netherlands.
    expect(dutchLocal(new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-24T00:30');
    // Summer time starts on the last Sunday of March at 01:00 UTC.
    expect(dutchLocal('2026-03-29T00:59:00Z')).toBe('2026-03-29T01:59');
    expect(dutchLocal('2026-03-29T01:00:00Z')).toBe('2026-03-29T03:00');
  });
});

describe('form defaults in Dutch time', () => {
  it('takes today and the clock from the Netherlands, not from the machine', () => {
    // A laptop on UTC at 23:30 on the 23rd: in the Netherlands it is the 24th.
    expect(dutchToday(new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-24');
    expect(dutchClock(new Date('2026-11-23T23:30:00Z'))).toBe('00:30');
    expect(dutchClock(new Date('2026-07-01T09:15:00Z'))).toBe('11:15');
  });

  it('adds calendar days across months, years and the change to summer time', () => {
    expect(addDays('2026-11-23', 7)).toBe('2026-11-30');
    expect(addDays('2026-11-28', 7)).toBe('2026-12-05');
    expect(addDays('2026-12-29', 7)).toBe('2027-01-05');
    expect(addDays('2027-03-25', 7)).toBe('2027-04-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});
