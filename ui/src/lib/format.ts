// Dates and times as Dutch users read them: 23-11-2026 and 14:30. The Rust
// side sends ISO text (`2026-11-23`, `2026-11-23T14:30`); these functions only
// rearrange it, so no time zone can shift a date.

const DATE = /^(\d{4})-(\d{2})-(\d{2})/;
const TIME = /T(\d{2}):(\d{2})/;

/** `2026-11-23` or `2026-11-23T14:30` → `23-11-2026`; anything else as it is. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = DATE.exec(iso);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : iso;
}

/** `2026-11-23T14:30` → `14:30`; empty when there is no time. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = TIME.exec(iso);
  return m ? `${m[1]}:${m[2]}` : '';
}

/** `2026-11-23T14:30` → `23-11-2026 14:30`; a plain date stays a date. */
export function formatDateTime(iso: string | null | undefined): string {
  const time = formatTime(iso);
  return time ? `${formatDate(iso)} ${time}` : formatDate(iso);
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A date's own calendar day as ISO text (`2026-11-23`), for values sent to Rust. */
function isoDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const amsterdam = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * Dutch wall-clock time (`2026-11-23T14:30`) of an instant, whatever the
 * machine's own time zone: a laptop set to UTC still shows Dutch time.
 */
export function dutchLocal(instant: Date | string): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    amsterdam.formatToParts(d).find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}

/** Today's date in the Netherlands (`2026-11-23`), whatever the machine's time zone. */
export function dutchToday(now: Date = new Date()): string {
  return dutchLocal(now).slice(0, 10);
}

/** The time on a Dutch clock (`14:30`), whatever the machine's time zone. */
export function dutchClock(now: Date = new Date()): string {
  return dutchLocal(now).slice(11, 16);
}

/** The ISO date `days` days after the ISO date `iso` (calendar days, no time zone involved). */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const t = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** A Dutch date as the user types it (`23-11-2026`, `23-11-26`, `2311`…) → ISO, or null. */
export function parseDutchDate(text: string, today: Date = new Date()): string | null {
  const t = text.trim();
  let m = /^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{2}|\d{4})$/.exec(t);
  if (!m) {
    const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
    if (iso) m = Object.assign([t, iso[3], iso[2], iso[1]], { index: 0, input: t, groups: undefined }) as RegExpExecArray;
  }
  if (!m || m[1] === undefined || m[2] === undefined || m[3] === undefined) return null;
  const day = Number(m[1]);
  const month = Number(m[2]);
  let year = Number(m[3]);
  if (m[3].length === 2) year += Math.floor(today.getFullYear() / 100) * 100;
  const d = new Date(year, month - 1, day);
  if (d.getFullYear() !== year || d.getMonth() !== month - 1 || d.getDate() !== day) return null;
  return isoDate(d);
}

/** `14:30`, `1430` or `9:05` → `14:30` / `09:05`, or null. */
export function parseClockTime(text: string): string | null {
  const m = /^(\d{1,2})[:.]?(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${pad(h)}:${pad(min)}`;
}
