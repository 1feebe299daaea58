// Synthetic caseload for the browser tests: invented Dutch names, addresses,
// schools and notes (no real persons). Every value is typed against the
// generated bindings, so a change on the Rust side that the UI must follow
// fails `npm run check` here too.
//
// Dates are relative to the day the test runs ("today", "in 3 days"), so the
// Vandaag screen always has something today.

import type { AgendaItem } from '../../src/lib/bindings/AgendaItem';
import type { CaseRow } from '../../src/lib/bindings/CaseRow';
import type { CaseView } from '../../src/lib/bindings/CaseView';
import type { CaseloadOptions } from '../../src/lib/bindings/CaseloadOptions';
import type { CloseOptions } from '../../src/lib/bindings/CloseOptions';
import type { Coded } from '../../src/lib/bindings/Coded';
import type { ConflictView } from '../../src/lib/bindings/ConflictView';
import type { FollowupTask } from '../../src/lib/bindings/FollowupTask';
import type { HomeVisitForm } from '../../src/lib/bindings/HomeVisitForm';
import type { LetterTemplate } from '../../src/lib/bindings/LetterTemplate';
import type { Outreach } from '../../src/lib/bindings/Outreach';
import type { ReactionItem } from '../../src/lib/bindings/ReactionItem';
import type { Session } from '../../src/lib/bindings/Session';
import type { Settings } from '../../src/lib/bindings/Settings';
import type { StepState } from '../../src/lib/bindings/StepState';
import type { SyncStatus } from '../../src/lib/bindings/SyncStatus';
import type { TaskItem } from '../../src/lib/bindings/TaskItem';
import type { TimelineItem } from '../../src/lib/bindings/TimelineItem';

/** `YYYY-MM-DD` of the local day `offset` days from today. */
export function day(offset = 0): string {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const mm = String(d.getMonth() + 1).padStart(2, '0');
  const dd = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${mm}-${dd}`;
}

const code = (c: string, label: string): Coded => ({ code: c, label });

export const kinds = {
  verzuim: code('verzuim', 'Verzuim'),
  absoluut: code('absoluut', 'Absoluut verzuim'),
  vsv: code('vsv', 'VSV / Doorstroompunt'),
  vrijstelling: code('vrijstelling', 'Vrijstelling'),
} as const;

export const statuses = {
  open: code('open', 'Open'),
  closed: code('afgesloten', 'Afgesloten'),
} as const;

export const role = code('leerplichtambtenaar', 'Leerplichtambtenaar');

export const session: Session = {
  userName: 'Femke Verhoeven',
  role,
  boa: true,
  enrolled: true,
  lockTimeoutMinutes: 10,
};

export const schools = [
  { id: 'sch-1', name: 'Het Baken College', location: 'Utrecht' },
  { id: 'sch-2', name: 'Montessori Lyceum De Linde', location: 'Nieuwegein' },
  { id: 'sch-3', name: 'ROC Midden Polder', location: 'Houten' },
] as const;

export type Youth = {
  caseId: string;
  youthId: string;
  name: string;
  birthDate: string;
  age: number;
  street: string;
  postcode: string;
  town: string;
  kind: Coded;
  soort: string | null;
  school: (typeof schools)[number];
  legalStatus: string | null;
  dueTasks: number;
};

/** The young people of the synthetic caseload; names with and without accents. */
export const youths: Youth[] = [
  {
    caseId: 'case-1',
    youthId: 'y-1',
    name: 'Noëlle Bakker',
    birthDate: '2011-03-14',
    age: 15,
    street: 'Lindelaan 12',
    postcode: '3512 AB',
    town: 'Utrecht',
    kind: kinds.verzuim,
    soort: 'Relatief verzuim',
    school: schools[0],
    legalStatus: 'Leerplichtig tot 31-07-2028',
    dueTasks: 2,
  },
  {
    caseId: 'case-2',
    youthId: 'y-2',
    name: 'Daniël Jansen',
    birthDate: '2009-09-02',
    age: 17,
    street: 'Kastanjeplein 4',
    postcode: '3512 CD',
    town: 'Utrecht',
    kind: kinds.vsv,
    soort: null,
    school: schools[2],
    legalStatus: 'Kwalificatieplichtig tot 02-09-2027',
    dueTasks: 1,
  },
  {
    caseId: 'case-3',
    youthId: 'y-3',
    name: 'Zoë van Dijk',
    birthDate: '2013-06-21',
    age: 13,
    street: 'Molenweg 88',
    postcode: '3431 KL',
    town: 'Nieuwegein',
    kind: kinds.absoluut,
    soort: 'Absoluut verzuim',
    school: schools[1],
    legalStatus: 'Leerplichtig tot 31-07-2030',
    dueTasks: 0,
  },
  {
    caseId: 'case-4',
    youthId: 'y-4',
    name: 'Ömer Yıldız',
    birthDate: '2006-01-30',
    age: 20,
    street: 'Beukenstraat 7',
    postcode: '3991 EF',
    town: 'Houten',
    kind: kinds.vsv,
    soort: null,
    school: schools[2],
    legalStatus: 'In de doelgroep van het Doorstroompunt tot 30-01-2029',
    dueTasks: 0,
  },
  {
    caseId: 'case-5',
    youthId: 'y-5',
    name: 'Jasper de Groot',
    birthDate: '2012-11-08',
    age: 14,
    street: 'Weidedreef 31',
    postcode: '3431 MN',
    town: 'Nieuwegein',
    kind: kinds.verzuim,
    soort: 'Luxe verzuim',
    school: schools[1],
    legalStatus: 'Leerplichtig tot 31-07-2029',
    dueTasks: 1,
  },
  {
    caseId: 'case-6',
    youthId: 'y-6',
    name: 'Fleur Janssens',
    birthDate: '2010-05-17',
    age: 16,
    street: 'Havenkade 2',
    postcode: '3991 GH',
    town: 'Houten',
    kind: kinds.vrijstelling,
    soort: null,
    school: schools[0],
    legalStatus: 'Leerplichtig tot 31-07-2027',
    dueTasks: 0,
  },
];

const FIRST = ['Anne-Fleur', 'Bram', 'Chaimae', 'Dewi', 'Elif', 'Finn', 'Giulia', 'Hidde', 'Iris', 'Joël', 'Kiki', 'Luuk', 'Maryam', 'Niek', 'Oumaima', 'Pim', 'Rosalie', 'Sem', 'Tess', 'Yusuf'];
const LAST = ['van den Heuvel-Ouwehand', 'Visser', 'El Amrani', 'de Boer', 'Kramer', 'van Leeuwen', 'Bulut', 'Mulder', 'Hendriks', 'Dekker', 'van der Meulen', 'Koster'];
const TOWNS = [
  ['Utrecht', '35'],
  ['Nieuwegein', '34'],
  ['Houten', '39'],
] as const;

/** A big synthetic caseload (`n` more cases), for the busy-day screens. */
export function manyYouths(n: number): Youth[] {
  const list: Youth[] = [];
  const kindsList = Object.values(kinds);
  for (let i = 0; i < n; i++) {
    const [town, pc] = TOWNS[i % TOWNS.length] ?? TOWNS[0];
    const age = 5 + (i % 18);
    const year = new Date().getFullYear() - age;
    list.push({
      caseId: `case-${100 + i}`,
      youthId: `y-${100 + i}`,
      name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`,
      birthDate: `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
      age,
      street: `Verlengde Hoogravenseweg ${1 + (i % 240)}`,
      postcode: `${pc}${String(10 + (i % 89)).padStart(2, '0')} ${'ABCDEGHJKL'[i % 10]}${'MNPRTVWXZ'[i % 9]}`,
      town,
      kind: kindsList[i % kindsList.length] ?? kinds.verzuim,
      soort: i % 4 === 0 ? 'Signaal verzuim (eerste melding, nog geen gesprek gehad met ouders)' : null,
      school: schools[i % schools.length] ?? schools[0],
      legalStatus: age < 16 ? `Leerplichtig tot 31-07-${year + 16}` : `Kwalificatieplichtig tot ${year + 18}`,
      dueTasks: i % 5 === 0 ? 1 + (i % 3) : 0,
    });
  }
  return list;
}

/** `count` open tasks of the big caseload, the first ones overdue. */
export function manyTasks(list: Youth[], count: number): TaskItem[] {
  return list.slice(0, count).map((y, i) => ({
    id: `t-many-${i}`,
    caseId: y.caseId,
    youthName: y.name,
    title: i % 3 === 0 ? 'Bellen met de ouders over de afspraak op school en de verlofaanvraag' : 'Reactie nagaan',
    kind: code(i % 3 === 0 ? 'bellen' : 'reactie_nagaan', i % 3 === 0 ? 'Bellen' : 'Reactie nagaan'),
    dueOn: day(i < 10 ? -i - 1 : 0),
    overdue: i < 10,
    done: false,
  }));
}

export function caseRow(y: Youth, status: Coded = statuses.open): CaseRow {
  return {
    id: y.caseId,
    youthName: y.name,
    kind: y.kind,
    soort: y.soort,
    status,
    dueTasks: y.dueTasks,
    openedOn: day(-40 - Number(y.caseId.slice(5)) * 9),
    gemeente: y.town,
    schoolName: y.school.name,
    legalStatus: y.legalStatus,
  };
}

export const caseloadOptions: CaseloadOptions = {
  kinds: Object.values(kinds),
  statuses: Object.values(statuses),
  gemeenten: ['Houten', 'Nieuwegein', 'Utrecht'],
  schools: schools.map((s) => ({ id: s.id, name: s.name })),
  sorts: [code('name', 'Naam'), code('opened', 'Geopend'), code('due', 'Taken'), code('kind', 'Werkproces')],
};

const huisbezoek = code('huisbezoek', 'Huisbezoek');
const spreekuur = code('spreekuur', 'Spreekuur');
const gepland = code('gepland', 'Gepland');

function at(offset: number, time: string): string {
  return `${day(offset)}T${time}`;
}

function visit(id: string, y: Youth, from: string, until: string): AgendaItem {
  return {
    id,
    caseId: y.caseId,
    youthName: y.name,
    kind: huisbezoek,
    status: gepland,
    startsAt: at(0, from),
    endsAt: at(0, until),
    location: null,
    address: `${y.street}, ${y.town}`,
    postcode: y.postcode,
  };
}

const [noelle, daniel, zoe, omer, jasper] = youths as [Youth, Youth, Youth, Youth, Youth, Youth];

export const appointments: AgendaItem[] = [
  visit('ap-1', noelle, '09:30', '10:00'),
  visit('ap-2', zoe, '11:00', '11:30'),
  visit('ap-3', daniel, '10:15', '10:45'),
  {
    id: 'ap-4',
    caseId: jasper.caseId,
    youthName: jasper.name,
    kind: spreekuur,
    status: gepland,
    startsAt: at(0, '13:30'),
    endsAt: at(0, '13:50'),
    location: 'Montessori Lyceum De Linde, spreekkamer 2',
    address: null,
    postcode: null,
  },
  {
    id: 'ap-5',
    caseId: omer.caseId,
    youthName: omer.name,
    kind: code('gesprek', 'Gesprek op kantoor'),
    status: gepland,
    startsAt: at(0, '15:00'),
    endsAt: at(0, '15:30'),
    location: 'Stadskantoor, kamer 4.12',
    address: null,
    postcode: null,
  },
];

export const tasks: TaskItem[] = [
  {
    id: 't-1',
    caseId: noelle.caseId,
    youthName: noelle.name,
    title: 'Bellen met moeder over het verzuim',
    kind: code('bellen', 'Bellen'),
    dueOn: day(-3),
    overdue: true,
    done: false,
  },
  {
    id: 't-2',
    caseId: daniel.caseId,
    youthName: daniel.name,
    title: 'Reactie op de uitnodiging nagaan',
    kind: code('reactie_nagaan', 'Reactie nagaan'),
    dueOn: day(0),
    overdue: false,
    done: false,
  },
  {
    id: 't-3',
    caseId: jasper.caseId,
    youthName: jasper.name,
    title: 'Verlofaanvraag met school bespreken',
    kind: code('overig', 'Overig'),
    dueOn: day(0),
    overdue: false,
    done: false,
  },
];

export const reactions: ReactionItem[] = [
  {
    id: 'r-1',
    caseId: daniel.caseId,
    youthName: daniel.name,
    at: at(-1, '19:42'),
    note: 'Ik ben dinsdag na 15:00 thuis, bel maar aan.',
  },
];

/** Cases whose young person has no known address (no letter can go out). */
export const noAddress = new Set(['case-6']);

/** Cases whose young person has no known phone number. */
export const noPhone = new Set(['case-4']);

/**
 * The outreach sequence of a VSV case: started on `started` (or not yet),
 * ended by a reaction or not, its open steps dropped or not.
 */
export function outreach(y: Youth, started: string | null, reacted: boolean, dropped: boolean): Outreach {
  const hasPhone = !noPhone.has(y.caseId);
  const base = started ?? day(0);
  const plan: [string, string, string, string, number][] = hasPhone
    ? [
        ['whatsapp', 'WhatsApp-bericht sturen', 'Eerste bericht: stel u voor en vraag om een reactie.', 'WhatsApp-bericht 1', 0],
        ['bellen', 'Bellen', 'Eerste keer bellen, op een andere dag dan het bericht.', 'Bellen 1', 1],
        ['whatsapp', 'WhatsApp-bericht sturen', 'Tweede bericht als er geen reactie kwam.', 'WhatsApp-bericht 2', 3],
        ['bellen', 'Bellen', 'Tweede keer bellen, liefst aan het eind van de middag.', 'Bellen 2', 4],
        ['brief', 'Brief sturen', 'Kondig het huisbezoek aan, met dag en tijdvak.', 'Brief: aankondiging huisbezoek', 7],
        ['huisbezoek', 'Huisbezoek', 'Ga op het aangekondigde moment langs.', 'Huisbezoek', 14],
      ]
    : [
        ['brief', 'Brief sturen', 'Geen telefoonnummer: stel u voor met een brief.', 'Kennismakingsbrief', 0],
        ['brief', 'Brief sturen', 'Kondig het huisbezoek aan, met dag en tijdvak.', 'Brief: aankondiging huisbezoek', 7],
        ['huisbezoek', 'Huisbezoek', 'Ga op het aangekondigde moment langs.', 'Huisbezoek', 14],
      ];
  const today = day(0);
  return {
    applicable: y.kind.code === 'vsv',
    started: started !== null,
    endedByReaction: reacted,
    hasPhone,
    steps: plan.map(([kind, label, explanation, title, offset]) => {
      const dueOn = plus(base, offset);
      const state: StepState =
        started === null ? 'notPlanned' : dueOn < today ? 'done' : dropped ? 'stopped' : 'open';
      return { title, explanation, kind: code(kind, label), dueOn, state };
    }),
  };
}

export function caseView(y: Youth): CaseView {
  const surname = y.name.split(' ').slice(1).join(' ');
  const timeline: TimelineItem[] = [
    {
      id: 'tl-1',
      kind: 'reaction',
      at: at(-1, '19:42'),
      title: 'Reactie via QR-code',
      detail: 'Ik ben dinsdag na 15:00 thuis, bel maar aan.',
    },
    {
      id: 'tl-2',
      kind: 'letter',
      at: at(-6, '10:05'),
      title: 'Brief: Uitnodiging voor een gesprek',
      detail: 'Reactiecode 7K3QD-M9XAB',
    },
    {
      id: 'tl-3',
      kind: 'contact',
      at: at(-9, '16:20'),
      title: 'Huisbezoek: Niet thuis, kaartje in de bus',
      detail: 'Kaartje 4TR8W-2HJQP achtergelaten.',
    },
    { id: 'tl-4', kind: 'melding', at: day(-12), title: 'Melding van school', detail: '16 uur ongeoorloofd verzuim' },
  ];
  return {
    id: y.caseId,
    kind: y.kind,
    soort: y.soort,
    status: statuses.open,
    open: true,
    openedOn: day(-12),
    closedOn: null,
    outcome: null,
    gemeente: y.town,
    hoursAbsent: 16,
    careConcern: false,
    youth: {
      id: y.youthId,
      name: y.name,
      birthDate: y.birthDate,
      age: y.age,
      address: y.street,
      postcode: y.postcode,
      town: y.town,
      phone: noPhone.has(y.caseId) ? null : '06 12345678',
      email: null,
    },
    legalStatus: y.legalStatus,
    contactPersons: [
      {
        id: 'cp-1',
        name: `Marieke ${surname}-de Wit`,
        relation: code('moeder', 'Moeder'),
        responsible: true,
        address: `${y.street}, ${y.postcode} ${y.town}`,
        phone: '06 98765432',
        email: 'marieke@voorbeeld.nl',
      },
      {
        id: 'cp-2',
        name: `Ruud ${surname}`,
        relation: code('vader', 'Vader'),
        responsible: true,
        address: null,
        phone: null,
        email: null,
      },
    ],
    school: { id: y.school.id, name: y.school.name, location: y.school.location },
    meldingen: [
      {
        id: 'm-1',
        receivedOn: day(-12),
        source: code('school', 'School'),
        soort: y.soort,
        hoursAbsent: 16,
        note: 'Vaak het eerste uur afwezig, sinds de herfstvakantie.',
      },
    ],
    tasks: tasks.filter((t) => t.caseId === y.caseId),
    consents: [
      {
        id: 'cs-1',
        scope: code('zorgoverleg', 'Bespreken in het zorgoverleg'),
        givenOn: day(-8),
        givenBy: code('ouder', 'Ouder of verzorger'),
        withdrawnOn: null,
        note: null,
      },
    ],
    timeline,
  };
}

export function closeOptions(boa: boolean): CloseOptions {
  return {
    outcomes: [
      { code: 'inschrijving_school', label: 'Ingeschreven bij een school', allowed: true, reason: null },
      { code: 'waarschuwing', label: 'Waarschuwing', allowed: true, reason: null },
      {
        code: 'halt_verwijzing',
        label: 'Halt-verwijzing',
        allowed: false,
        reason: boa ? 'Halt kan pas vanaf 12 jaar en bij hooguit 2 eerdere Halt-verwijzingen.' : 'Alleen voor BOA’s.',
      },
      { code: 'niet_verwijtbaar', label: 'Niet verwijtbaar', allowed: true, reason: null },
    ],
    note: null,
  };
}

export const homeVisitOutcomes: Coded[] = [
  code('gesproken_jongere', 'Gesproken met de jongere'),
  code('gesproken_ouder', 'Gesproken met ouder of verzorger'),
  code('niet_thuis', 'Niet thuis, kaartje in de bus'),
  code('geweigerd', 'Geweigerd'),
  code('verhuisd_onbekend_adres', 'Verhuisd of onbekend adres'),
];

export const spreekuurOutcomes: Coded[] = [
  code('gesproken_jongere', 'Gesproken met de jongere'),
  code('gesproken_ouder', 'Gesproken met ouder of verzorger'),
  code('niet_verschenen', 'Niet verschenen'),
];

export const taskKinds: Coded[] = [
  code('reactie_nagaan', 'Reactie nagaan'),
  code('huisbezoek', 'Huisbezoek'),
  code('bellen', 'Bellen'),
  code('brief', 'Brief sturen'),
  code('adres_nagaan', 'Adres nagaan'),
  code('overig', 'Overig'),
];

export function homeVisitForm(y: Youth): HomeVisitForm {
  return {
    youthName: y.name,
    address: `${y.street}, ${y.town}`,
    outcomes: homeVisitOutcomes,
    cardOutcome: 'niet_thuis',
    taskKinds,
  };
}

/** `YYYY-MM-DD` plus `n` calendar days. */
function plus(date: string, n: number): string {
  const d = new Date(`${date}T12:00:00`);
  d.setDate(d.getDate() + n);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** What the rules would propose; simplified, but the same shape and wording style. */
export function followup(date: string, outcome: string): FollowupTask[] {
  switch (outcome) {
    case 'niet_thuis':
      return [
        {
          kind: 'reactie_nagaan',
          title: 'Reactie op het kaartje nagaan',
          explanation: 'Na een kaartje in de bus: binnen 3 werkdagen kijken of er een reactie is.',
          dueOn: plus(date, 3),
          letter: null,
        },
        {
          kind: 'brief',
          title: 'Uitnodiging voor een gesprek sturen',
          explanation: 'Geen reactie op het kaartje: nodig schriftelijk uit.',
          dueOn: plus(date, 7),
          letter: 'uitnodiging_gesprek',
        },
      ];
    case 'verhuisd_onbekend_adres':
      return [
        {
          kind: 'adres_nagaan',
          title: 'Adres nagaan in de BRP',
          explanation: 'Het adres klopt niet meer.',
          dueOn: plus(date, 2),
          letter: null,
        },
      ];
    case 'geweigerd':
      return [
        {
          kind: 'overig',
          title: 'Volgende stap bespreken',
          explanation: 'Geweigerd aan de deur: bespreek de volgende stap met een collega.',
          dueOn: plus(date, 5),
          letter: null,
        },
      ];
    default:
      return [];
  }
}

export const letterTemplates: LetterTemplate[] = [
  { code: 'uitnodiging_gesprek', label: 'Uitnodiging voor een gesprek', needs: 'appointment', allowed: true, reason: null },
  { code: 'aankondiging_huisbezoek', label: 'Aankondiging huisbezoek', needs: 'visit', allowed: true, reason: null },
  { code: 'absoluut_verzuim_ouders', label: 'Brief absoluut verzuim aan ouders', needs: 'replyBefore', allowed: true, reason: null },
  {
    code: 'kennismaking_doorstroompunt',
    label: 'Kennismaking Doorstroompunt',
    needs: 'nothing',
    allowed: false,
    reason: 'Alleen voor jongeren in de doelgroep van het Doorstroompunt.',
  },
  { code: 'officiele_waarschuwing', label: 'Officiële waarschuwing', needs: 'warning', allowed: true, reason: null },
];

export const conflicts: ConflictView[] = [
  {
    id: 'cf-1',
    record: 'Jongere',
    field: 'Telefoon',
    keptValue: '06 12345678',
    keptBy: 'Sander Smit',
    otherValue: '06 23456789',
    otherBy: 'Femke Verhoeven',
    at: at(-1, '16:05'),
  },
  {
    id: 'cf-2',
    record: 'Zaak',
    field: 'Uren verzuim',
    keptValue: '16',
    keptBy: null,
    otherValue: '20',
    otherBy: 'Femke Verhoeven',
    at: at(0, '08:47'),
  },
];

/** The sync status: synced this morning, three changes waiting, two conflicts. */
export function syncStatus(openConflicts: number): SyncStatus {
  const last = new Date();
  last.setHours(8, 50, 0, 0);
  return {
    state: 'idle',
    online: true,
    pendingOperations: 3n,
    rejectedOperations: 0n,
    openConflicts: BigInt(openConflicts),
    lastSuccessAt: last.toISOString(),
    progress: null,
    lastError: null,
    nextAttemptAt: null,
  };
}

export function settings(lockTimeoutMinutes: number, serverUrl: string): Settings {
  return {
    lockTimeoutMinutes,
    lockTimeoutChoices: [5, 10, 15, 30],
    serverUrl,
    userName: session.userName,
    role,
    appVersion: '0.1.0',
    protocolVersion: 1,
    vaultSchema: 3,
  };
}
