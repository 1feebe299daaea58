// Every user-facing text of the start screen. Dutch, plain (B1 level).

export const texts = {
  appName: 'Veldwerk',
  tagline: 'Uw caseload, ook zonder internet.',
  enroll: {
    heading: 'Aanmelden bij uw bureau',
    intro:
      'Dit apparaat is nog niet aangemeld. Vraag uw bureau om het adres van de server en een eenmalige code. Met die code koppelt u dit apparaat aan uw account.',
    serverLabel: 'Adres van de server',
    serverHint: 'Bijvoorbeeld https://veldwerk.uwbureau.nl',
    codeLabel: 'Eenmalige code',
    codeHint: 'De code ziet eruit als XXXX-XXXX-XXXX. Hij is 15 minuten geldig en werkt maar één keer.',
    deviceLabel: 'Naam van dit apparaat',
    passphraseLabel: 'Kies een wachtwoordzin',
    passphraseHint: (min: number) =>
      `Minstens ${min} tekens. Tip: vier gewone woorden met spaties, zoals "fiets lamp regen boom". U typt hem bij elke start.`,
    repeatLabel: 'Herhaal de wachtwoordzin',
    missing: 'Vul het adres van de server en de eenmalige code in.',
    submit: 'Aanmelden',
    busy: 'Bezig met aanmelden…',
  },
  unlock: {
    heading: 'Ontgrendelen',
    intro:
      'Uw gegevens staan versleuteld op dit apparaat. Vul uw wachtwoordzin in om verder te werken.',
    passphraseLabel: 'Wachtwoordzin',
    empty: 'Vul uw wachtwoordzin in.',
    submit: 'Ontgrendelen',
    busy: 'Bezig met ontgrendelen…',
  },
  version: (version: string) => `Versie ${version}`,
} as const;
