// Every user-facing text of the lock screen. Dutch, plain (B1 level).

export const texts = {
  appName: 'Veldwerk',
  tagline: 'Uw caseload, ook zonder internet.',
  loading: 'Even geduld…',
  startFailed:
    'Veldwerk kon niet starten. Probeer het opnieuw of neem contact op met uw beheerder.',
  retry: 'Opnieuw proberen',
  comingSoon: 'Komt binnenkort. Dit onderdeel werkt nog niet.',
  enroll: {
    heading: 'Aanmelden bij uw bureau',
    intro:
      'Dit apparaat is nog niet aangemeld. Vraag uw bureau om een eenmalige code. Met die code koppelt u dit apparaat aan uw account.',
    codeLabel: 'Eenmalige code',
    codeHint: 'De code ziet eruit als XXXX-XXXX-XXXX. Hij is 15 minuten geldig en werkt maar één keer.',
    submit: 'Aanmelden',
  },
  unlock: {
    heading: 'Ontgrendelen',
    intro:
      'Uw gegevens staan versleuteld op dit apparaat. Vul uw wachtwoordzin in om verder te werken.',
    passphraseLabel: 'Wachtwoordzin',
    submit: 'Ontgrendelen',
  },
  version: (version: string) => `Versie ${version}`,
} as const;
