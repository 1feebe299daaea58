// A stand-in for the Rust side of the app, for the browser tests of the built
// UI: one handler per command of `src/lib/api.ts`, answering from the
// synthetic caseload in `fixtures.ts` and keeping a little state (locked or
// not, conflicts resolved, settings changed), so whole flows can be clicked
// through. Argument and result types come from the generated bindings.

import type * as api from '../../src/lib/api';
import type { CaseloadFilter } from '../../src/lib/bindings/CaseloadFilter';
import type { CommandError } from '../../src/lib/bindings/CommandError';
import type { ErrorCode } from '../../src/lib/bindings/ErrorCode';
import type { LockedEvent } from '../../src/lib/bindings/LockedEvent';
import type { PrintedCards } from '../../src/lib/bindings/PrintedCards';
import * as fx from './fixtures';

/** How the device starts: no vault yet (enroll), locked (unlock) or already open. */
export type StartState = 'new' | 'locked' | 'open';

export type MockOptions = {
  start: StartState;
  /** A big caseload: 300 more cases, 40 tasks today. */
  busy: boolean;
};

/** The passphrase the synthetic vault opens with. */
export const PASSPHRASE = 'paard batterij nietje';

export class Rejection {
  constructor(readonly error: CommandError) {}
}

function reject(code: ErrorCode, message: string): never {
  throw new Rejection({ code, message });
}

/** The result type of the api.ts function `F`. */
type Out<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

export type Emit = (event: string, payload: unknown) => void;

function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ı/g, 'i')
    .toLowerCase();
}

/** The most rows `caseload` returns (src-tauri commands::caseload::MAX_ROWS). */
const MAX_ROWS = 300;

export function createBackend({ start, busy }: MockOptions, emit: Emit) {
  const extra = busy ? fx.manyYouths(300) : [];
  const youths = [...fx.youths, ...extra];
  const tasks = busy ? [...fx.tasks, ...fx.manyTasks(extra, 40)] : fx.tasks;
  let vaultExists = start !== 'new';
  let unlocked = start === 'open';
  let lockTimeout = fx.session.lockTimeoutMinutes;
  let serverUrl = 'https://veldwerk.voorbeeldgemeente.nl';
  let openConflicts = [...fx.conflicts];
  const closed = new Map<string, api.CaseView>();
  /** Outreach sequences: when started; Daniël's began 8 days ago and he reacted since. */
  const outreachStarted = new Map<string, string>([['case-2', fx.day(-8)]]);
  const reacted = new Set(['case-2']);
  const outreachDropped = new Set<string>();
  const sequence = (caseId: string) =>
    fx.outreach(youth(caseId), outreachStarted.get(caseId) ?? null, reacted.has(caseId), outreachDropped.has(caseId));
  /** Appointments whose conversation was recorded. */
  const conversations = new Set<string>();
  let printed = 0;

  function needOpen(): void {
    if (!unlocked) reject('vault_locked', 'Veldwerk is vergrendeld. Ontgrendel eerst.');
  }

  function youth(caseId: string) {
    const y = youths.find((x) => x.caseId === caseId);
    if (!y) reject('not_found', 'Deze zaak staat niet op dit apparaat.');
    return y;
  }

  function overview(): Out<typeof api.syncStatus> {
    return { enrolled: true, status: fx.syncStatus(openConflicts.length) };
  }

  function lockNow(reason: LockedEvent['reason']): void {
    unlocked = false;
    const event: LockedEvent = { reason };
    emit('vault-locked', event);
  }

  function caseload(filter: CaseloadFilter): Out<typeof api.caseload> {
    const text = fold(filter.text ?? '').trim();
    const rows = youths
      .map((y) => fx.caseRow(y, closed.has(y.caseId) ? fx.statuses.closed : fx.statuses.open))
      .filter((r) => text === '' || fold(r.youthName).includes(text))
      .filter((r) => !filter.kind || r.kind.code === filter.kind)
      .filter((r) => !filter.status || r.status.code === filter.status)
      .filter((r) => !filter.dueOnly || r.dueTasks > 0)
      .filter((r) => !filter.gemeente || r.gemeente === filter.gemeente)
      .filter((r) => !filter.schoolId || r.schoolName === fx.schools.find((s) => s.id === filter.schoolId)?.name);
    const by: Record<string, (a: api.Caseload['rows'][number], b: api.Caseload['rows'][number]) => number> = {
      name: (a, b) => a.youthName.localeCompare(b.youthName, 'nl'),
      opened: (a, b) => b.openedOn.localeCompare(a.openedOn),
      due: (a, b) => b.dueTasks - a.dueTasks,
      kind: (a, b) => a.kind.label.localeCompare(b.kind.label, 'nl'),
    };
    rows.sort(by[filter.sort ?? 'name'] ?? by.name);
    return { rows: rows.slice(0, MAX_ROWS), total: rows.length };
  }

  const handlers = {
    app_info: (): Out<typeof api.appInfo> => ({ version: '0.1.0', vaultExists, unlocked, minPassphraseLength: 12 }),
    session: (): Out<typeof api.session> => {
      needOpen();
      return { ...fx.session, lockTimeoutMinutes: lockTimeout };
    },
    enroll: ({ request }: { request: api.EnrollRequest }): Out<typeof api.enroll> => {
      if (!/^https:\/\/\S+$/.test(request.serverUrl)) {
        reject('invalid_input', 'Dit serveradres klopt niet. Het begint met https://.');
      }
      if (request.code.replace(/[\s-]/g, '').length !== 12) {
        reject('invalid_input', 'De code klopt niet. Controleer de code die u van uw bureau kreeg.');
      }
      if (request.passphrase.length < 12) reject('invalid_input', 'Kies een wachtwoordzin van minstens 12 tekens.');
      serverUrl = request.serverUrl;
      vaultExists = true;
      unlocked = true;
      return { ...fx.session, lockTimeoutMinutes: lockTimeout };
    },
    unlock: ({ passphrase }: { passphrase: string }): Out<typeof api.unlock> => {
      if (passphrase !== PASSPHRASE) {
        reject('wrong_passphrase', 'Deze wachtwoordzin klopt niet. Probeer het opnieuw.');
      }
      unlocked = true;
      return { ...fx.session, lockTimeoutMinutes: lockTimeout };
    },
    lock: (): Out<typeof api.lock> => lockNow('user'),
    touch: (): Out<typeof api.touch> => undefined,
    today: (): Out<typeof api.today> => {
      needOpen();
      // Like the app: the first 25 tasks (TODAY_TASKS), and how many there are.
      return { day: fx.day(0), appointments: fx.appointments, tasks: tasks.slice(0, 25), tasksTotal: tasks.length, reactions: fx.reactions };
    },
    caseload_options: (): Out<typeof api.caseloadOptions> => {
      needOpen();
      return fx.caseloadOptions;
    },
    caseload: ({ filter }: { filter: CaseloadFilter }): Out<typeof api.caseload> => {
      needOpen();
      return caseload(filter);
    },
    case_detail: ({ caseId }: { caseId: string }): Out<typeof api.caseDetail> => {
      needOpen();
      return closed.get(caseId) ?? fx.caseView(youth(caseId));
    },
    home_visit_form: ({ caseId }: { caseId: string }): Out<typeof api.homeVisitForm> => {
      needOpen();
      return fx.homeVisitForm(youth(caseId));
    },
    home_visit_preview: (a: { caseId: string; date: string; outcome: string }): Out<typeof api.homeVisitPreview> => {
      needOpen();
      youth(a.caseId);
      return fx.followup(a.date, a.outcome);
    },
    record_home_visit: ({ visit }: { visit: api.HomeVisitInput }): Out<typeof api.recordHomeVisit> => {
      needOpen();
      youth(visit.caseId);
      if (visit.outcome === 'niet_thuis' && visit.cardCode && !/^[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(visit.cardCode)) {
        reject('invalid_input', 'De code van het kaartje klopt niet.');
      }
      return { contactMomentId: 'cm-new', tasksCreated: visit.followup.length };
    },
    close_options: ({ caseId }: { caseId: string }): Out<typeof api.closeOptions> => {
      needOpen();
      youth(caseId);
      return fx.closeOptions(fx.session.boa);
    },
    close_case: ({ caseId, outcome }: { caseId: string; outcome: string }): Out<typeof api.closeCase> => {
      needOpen();
      const option = fx.closeOptions(fx.session.boa).outcomes.find((o) => o.code === outcome);
      if (!option?.allowed) reject('not_allowed', 'Deze uitkomst kan hier niet.');
      const view: api.CaseView = {
        ...fx.caseView(youth(caseId)),
        open: false,
        status: fx.statuses.closed,
        closedOn: fx.day(0),
        outcome: { code: option.code, label: option.label },
        tasks: [],
      };
      closed.set(caseId, view);
      return view;
    },
    outreach: ({ caseId }: { caseId: string }): Out<typeof api.outreach> => {
      needOpen();
      return sequence(caseId);
    },
    start_outreach: ({ caseId }: { caseId: string }): Out<typeof api.startOutreach> => {
      needOpen();
      if (!sequence(caseId).applicable) reject('not_allowed', 'De kennismakingsreeks is alleen voor VSV-zaken.');
      if (outreachStarted.has(caseId)) reject('changed', 'De reeks is al gestart.');
      outreachStarted.set(caseId, fx.day(0));
      return sequence(caseId);
    },
    stop_outreach: ({ caseId }: { caseId: string }): Out<typeof api.stopOutreach> => {
      needOpen();
      if (!reacted.has(caseId)) reject('not_allowed', 'De reeks stopt pas na een reactie.');
      outreachDropped.add(caseId);
      return sequence(caseId);
    },
    spreekuur_day: ({ date }: { date: string }): Out<typeof api.spreekuurDay> => {
      needOpen();
      return {
        day: date,
        schools: fx.caseloadOptions.schools,
        appointments: fx.appointments
          .filter((a) => a.kind?.code === 'spreekuur' && a.startsAt.startsWith(date) && !conversations.has(a.id))
          .sort((a, b) => a.startsAt.localeCompare(b.startsAt)),
        outcomes: fx.spreekuurOutcomes,
        noShowOutcome: 'niet_verschenen',
        caseKinds: fx.caseloadOptions.kinds,
      };
    },
    find_youth: ({ text }: { text: string }): Out<typeof api.findYouth> => {
      needOpen();
      const want = fold(text).trim();
      if (want === '') return [];
      return youths
        .filter((y) => fold(y.name).includes(want))
        .slice(0, 20)
        .map((y) => ({
          youthId: y.youthId,
          name: y.name,
          birthDate: y.birthDate,
          cases: [{ caseId: y.caseId, kind: y.kind, open: !closed.has(y.caseId) }],
        }));
    },
    record_conversation: ({ conversation }: { conversation: api.ConversationInput }): Out<typeof api.recordConversation> => {
      needOpen();
      youth(conversation.caseId);
      if (!fx.spreekuurOutcomes.some((o) => o.code === conversation.outcome)) {
        reject('invalid_input', 'Kies hoe het gesprek ging.');
      }
      if (conversation.appointmentId) conversations.add(conversation.appointmentId);
    },
    add_walk_in: ({ walkIn }: { walkIn: api.WalkInInput }): Out<typeof api.addWalkIn> => {
      needOpen();
      if (walkIn.givenNames.trim() === '' || walkIn.surname.trim() === '') {
        reject('invalid_input', 'Vul de voornamen en de achternaam in.');
      }
      const kind = fx.caseloadOptions.kinds.find((k) => k.code === walkIn.kind);
      if (!kind) reject('invalid_input', 'Kies een werkproces.');
      const n = youths.length + 1;
      const school = fx.schools.find((x) => x.id === walkIn.schoolId) ?? fx.schools[0];
      youths.push({
        caseId: `case-walkin-${n}`,
        youthId: `y-walkin-${n}`,
        name: `${walkIn.givenNames.trim().split(/\s+/)[0]} ${walkIn.surname.trim()}`,
        birthDate: walkIn.birthDate,
        age: new Date().getFullYear() - Number(walkIn.birthDate.slice(0, 4)),
        street: 'Onbekend',
        postcode: '',
        town: school.location,
        kind,
        soort: null,
        school,
        legalStatus: null,
        dueTasks: 0,
      });
      return `case-walkin-${n}`;
    },
    record_group_session: ({ session }: { session: api.GroupSessionInput }): Out<typeof api.recordGroupSession> => {
      needOpen();
      if (!Number.isInteger(session.headcount) || session.headcount < 1) {
        reject('invalid_input', 'Vul het aantal deelnemers in: 1 of meer.');
      }
    },
    letter_templates: ({ caseId }: { caseId: string }): Out<typeof api.letterTemplates> => {
      needOpen();
      youth(caseId);
      return fx.letterTemplates;
    },
    print_letter: ({ request }: { request: api.LetterRequest }): Out<typeof api.printLetter> => {
      needOpen();
      youth(request.caseId);
      const template = fx.letterTemplates.find((t) => t.code === request.template);
      if (!template?.allowed) reject('not_allowed', 'Deze brief kan niet voor deze zaak.');
      if (template.needs === 'visit' && (!request.date || !request.from || !request.until)) {
        reject('invalid_input', 'Vul de datum en de tijden van het huisbezoek in.');
      }
      printed += 1;
      return { path: `/tmp/veldwerk-print/brief-${printed}.pdf`, pages: 1, shortCode: '7K3QD-M9XAB' };
    },
    print_letters: ({ request, caseIds }: { request: api.LetterRequest; caseIds: string[] }): Out<typeof api.printLetters> => {
      needOpen();
      const template = fx.letterTemplates.find((t) => t.code === request.template);
      if (!template?.allowed) reject('not_allowed', 'Deze brief kan niet voor deze zaken.');
      if (caseIds.length === 0) reject('invalid_input', 'Kies eerst een of meer zaken.');
      const skipped = caseIds
        .filter((id) => fx.noAddress.has(id))
        .map((id) => ({ caseId: id, youthName: youth(id).name, reason: 'Geen adres bekend.' }));
      const letters = caseIds.length - skipped.length;
      if (letters === 0) reject('invalid_input', 'Geen van deze zaken heeft een adres: er is geen brief gemaakt.');
      printed += 1;
      return { path: `/tmp/veldwerk-print/brieven-${printed}.pdf`, pages: letters, letters, skipped };
    },
    /** A sheet of 10 visit cards printed in advance (src-tauri `print_cards`). */
    print_cards: (): PrintedCards => {
      needOpen();
      printed += 1;
      return { path: `/tmp/veldwerk-print/kaartjes-${printed}.pdf`, pages: 1, cards: 10 };
    },
    open_document: (_: { path: string }): Out<typeof api.openDocument> => {
      needOpen();
    },
    sync_status: (): Out<typeof api.syncStatus> => overview(),
    sync_now: (): Out<typeof api.syncNow> => {
      needOpen();
      const busy: api.SyncOverview = {
        enrolled: true,
        status: {
          ...fx.syncStatus(openConflicts.length),
          state: 'syncing',
          progress: { phase: 'push', pushed: 1n, pages: 0, records: 0n },
        },
      };
      emit('sync-status', busy);
      return busy;
    },
    conflicts: (): Out<typeof api.conflicts> => {
      needOpen();
      return openConflicts;
    },
    resolve_conflict: ({ conflictId }: { conflictId: string; pick: api.ConflictPick }): Out<typeof api.resolveConflict> => {
      needOpen();
      if (!openConflicts.some((c) => c.id === conflictId)) reject('not_found', 'Dit conflict is al opgelost.');
      openConflicts = openConflicts.filter((c) => c.id !== conflictId);
      emit('sync-status', overview());
    },
    settings: (): Out<typeof api.settings> => {
      needOpen();
      return fx.settings(lockTimeout, serverUrl);
    },
    set_lock_timeout: ({ minutes }: { minutes: number }): Out<typeof api.setLockTimeout> => {
      needOpen();
      lockTimeout = minutes;
      return fx.settings(lockTimeout, serverUrl);
    },
    set_server_url: ({ url }: { url: string }): Out<typeof api.setServerUrl> => {
      needOpen();
      if (!/^https:\/\/\S+$/.test(url)) reject('invalid_input', 'Dit serveradres klopt niet. Het begint met https://.');
      serverUrl = url;
      return fx.settings(lockTimeout, serverUrl);
    },
    change_passphrase: ({ change }: { change: api.PassphraseChange }): Out<typeof api.changePassphrase> => {
      needOpen();
      if (change.old !== PASSPHRASE) reject('wrong_passphrase', 'De huidige wachtwoordzin klopt niet.');
      if (change.new.length < 12) reject('invalid_input', 'Kies een wachtwoordzin van minstens 12 tekens.');
    },
  };

  return {
    commands: Object.keys(handlers),
    /** Answers one command; throws `Rejection` for a command error, `Error` for an unknown command. */
    call(cmd: string, args: Record<string, unknown>): unknown {
      const table: Record<string, (a: never) => unknown> = handlers;
      const handler = table[cmd];
      if (!handler) throw new Error(`the browser-test mock has no command "${cmd}"`);
      return handler(args as never);
    },
    /** The idle timeout running out. */
    idleLock: () => lockNow('idle'),
  };
}
