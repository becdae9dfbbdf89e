// German terms, written folded ("alter" matches "älter", "ss" matches "ß"); the pattern
// shorthands are in terms.ts. Compounds are matched with '*' ("schwanger*" →
// "Schwangerschaftsvertretung"), adjectives with their endings ("jung(?:e|er|en|es|em)?").
//
// German traps, and why some obvious words are missing: "Frau"/"Herr" are salutations ("Frau
// Schmidt"), "Damen und Herren" too; "behindert" also means "hindered"; "Alter" is also the
// English verb "alter"; "Männer" folds to the English "manner"; "Kind" is English "kind";
// "Herkunft der Daten" is provenance; "Akzente setzen" means to set priorities;
// "Kinderkrankheiten" are a product's teething problems. They only count in context.
import type { TermList } from './terms.js';

const PERSON = '(?:bewerber*|kandidat*|mitarbeiter*|kolleg*|personen?|menschen|leute|mann|manner|frau|frauen|herren|damen|talente?|fachkraft|fachkrafte|entwickler*|ingenieur*|absolvent*)';
// "meine alten Kollegen" are former colleagues.
const OLD_PERSON = '(?:bewerber*|kandidat*|mitarbeiter*|personen?|menschen|leute|mann|manner|frau|frauen|herren|damen|fachkraft|fachkrafte)';
const ENDING = '(?:e|er|en|es|em)?';
const DEGREE = '(?:etwas |recht |ziemlich |sehr |noch |schon |bereits |deutlich |viel |zu |etwas zu |viel zu |noch zu |schon zu )?';

export const de: TermList = {
  language: 'de',
  groups: [
    {
      code: 'protected_age',
      severity: 'block',
      patterns: [
        '(?:uber|ueber)~qualifi*', `jung${ENDING} und dynamisch${ENDING}`, `dynamisch${ENDING} und jung${ENDING}`,
        `jung${ENDING} (?:und dynamisch${ENDING} |dynamisch${ENDING} )?(?:${PERSON}|teams?|blut)`, 'jugendlich*',
        `(?:alt|altere|aeltere)${ENDING} ${OLD_PERSON}`,
        // "jemand Jüngeren/Älteren": a comparison whose only subject is a person.
        '(?:jemand|jemanden|jemandem) (?:etwas |viel |deutlich )?(?:jungere[nmrs]?|altere[nmrs]?|aeltere[nmrs]?)',
        `(?:er|sie) (?:ist|sind|war|waren|wirkt|wirken|wirkte|scheint|scheinen) ${DEGREE}(?:alt|jung|alter|junger)`,
        'zu (?:alt|jung) fur (?:die|diese|unsere|das|dieses|unser|den) (?:rolle|stelle|position|team|job|aufgabe)', 'zu (?:alt|jung),? um',
        'zu senior', 'im alter von #', '(?:ihr|ihres|ihrem|sein|seines|seinem|hohen|hoheren|hoherem|fortgeschrittenen|fortgeschrittenem) alters?',
        'alters(?:grenze|struktur|bedingt|gruppe|diskriminierung|unterschied)*', 'lebensalter*', `#~jahrig${ENDING} ${PERSON}`,
        '(?:mitte|ende|anfang) (?:[2-6]0|zwanzig|dreissig|vierzig|funfzig|fuenfzig|sechzig)', '(?:kurz )?vor (?:der|dem) (?:rente|ruhestand|pension)',
        'renten(?:alter|eintritt|nah*)', 'ruhestand', 'rentner*', 'pensionar*', 'senioren', 'geburts(?:jahr|datum)', 'jahrgang (?:19|20)[0-9]{2}',
      ],
    },
    { code: 'protected_age', severity: 'warn', patterns: ['# jahre alt', 'zu erfahren', 'durchschnittsalter'] },
    { code: 'protected_age', severity: 'info', patterns: ['berufsanfanger*', 'berufseinsteiger*', 'hochschulabsolvent*'] },
    {
      code: 'protected_gender',
      severity: 'block',
      patterns: [
        'frauen*', '(?:als|fur eine|eine|einer|die einzige|keine) frau', '(?:als|fur einen|ein|einen|der einzige|keinen) mann',
        '(?:die|als|fur|nur|keine|junge|altere) manner', 'weiblich*', 'mannlich*', 'madchen', 'fraulein', '(?<!geehrte )damen(?! und herren)',
        'geschlecht*', 'trans(?:frau|mann|person)*', 'nicht~binar*', 'geschlechtsidentitat',
      ],
    },
    {
      code: 'protected_pregnancy_family',
      severity: 'block',
      patterns: [
        'schwanger*', 'mutterschutz*', 'mutterschaft*', 'vaterschaft*', 'elternzeit*', 'elterngeld', 'kinderwunsch', 'familienplanung',
        'familiengrundung', 'babypause', 'babyjahr*', 'stillzeit', 'kinderbetreuung*', 'kitas?', 'kindergarten',
        '(?:ein|ihr|sein|kleines|krankes|eigenes|zweites|drittes|erstes) kind',
        '(?:kleine|ihre|seine|zwei|drei|vier|keine|mit|hat|haben|eigene|kleinen) kinder(?:n)?', 'kinder (?:hat|haben|hatte)', 'alleinerziehend*',
        '(?:junge|werdende|berufstatige|alleinstehende|als) (?:mutter|vater|eltern)', '(?:mutter|vater) (?:von|zweier|dreier|eines)',
        'familiare?n? (?:verpflichtungen|grunde|grunden|situation|umstande|belastungen|pflichten)', '(?:eine )?familie (?:grunden|planen)',
        'betreuungspflicht*', 'pflegende angehorige',
      ],
    },
    {
      code: 'protected_race_ethnicity',
      severity: 'block',
      patterns: [
        'rasse', 'rassisch*', 'ethnisch*', 'ethnie*', 'hautfarbe', 'dunkelhautig*', 'hellhautig*', `(?:schwarz|weiss|farbig)${ENDING} ${OLD_PERSON}`,
        'zigeuner*', 'sinti', 'sudlandisch*', `auslandisch${ENDING} aussehen(?:d|de|der|den)?`,
        '(?:ihre|seine|deren|ethnische|soziale|auslandische|nationale|kulturelle) herkunft', 'abstammung', 'asiat(?:e|en|in|innen)', 'afrikaner*',
        'araber*',
      ],
    },
    {
      code: 'protected_religion',
      severity: 'block',
      patterns: [
        'religio*', 'konfession*', 'glaubens(?:richtung|gemeinschaft|bekenntnis|zugehorigkeit)*', 'muslim*', 'moslem*', 'christ', 'christen',
        'christin*', 'christlich*', 'katholi*', 'evangelisch*',
        // "Jude" is also an English first name; the plural and the adjective are not.
        '(?:ein|als|ist|der) jude', 'juden', 'judin*', 'judisch*', 'kopftuch*', 'gebete?', 'gebets*', 'kirche*', 'moschee*', 'synagoge*',
        'fastenzeit', 'sabbat', 'schabbat', 'koscher', 'kippa', 'hidschab',
      ],
    },
    {
      code: 'protected_disability_health',
      severity: 'block',
      patterns: [
        'behinderung(?:en)?', `(?:ist|sei|schwer|korperlich|geistig|psychisch|eine|einen|ein) behindert${ENDING}`, `behindert${ENDING} ${OLD_PERSON}`,
        'schwerbehindert*', 'schwerbehinderung', 'grad der behinderung', 'rollstuhl*', 'krankheit*', 'krank', 'krankgeschrieben', 'krankmeldung*',
        'krankenstand', 'krankschreibung*', 'erkrank*', 'psychisch*', 'depression*', 'depressiv*', 'angststorung*', 'panikattacke*', 'adhs',
        'legasthen*', 'dyslex*', '(?:ist|sei|war) blind', 'blindheit', 'sehbehindert*', 'gehorlos*', 'schwerhorig*', 'gesundheitlich*',
        'gesundheitszustand*', 'gesundheitsprobleme?n?', 'krebs*', 'stotter*',
      ],
    },
    {
      code: 'protected_nationality_accent',
      severity: 'block',
      patterns: [
        'akzent(?:e|s)?(?! (?:setzen|gesetzt|setzt|setzte))', 'akzentfrei*',
        '(?:muttersprachler*|muttersprachlich*) (?:gesucht|erforderlich|vorausgesetzt|bevorzugt|notwendig|wunschenswert)', '(?:deutsch|englisch|franzosisch|spanisch|italienisch|polnisch|turkisch|russisch|arabisch|chinesisch) als muttersprache',
        'nicht~muttersprachl*', 'auslander*', `auslandisch${ENDING} ${OLD_PERSON}`, 'auslandische?n? (?:herkunft|wurzeln|namen?)', 'nationalitat*',
        'herkunftsland', 'migrationshintergrund', 'migrant*', 'zugewandert*', 'eingewandert*', 'einwanderer*', 'gefluchtet*', 'fluchtling*',
        'asylbewerber*',
      ],
    },
    { code: 'protected_nationality_accent', severity: 'warn', patterns: ['muttersprach*'] },
    {
      code: 'work_authorization',
      severity: 'info',
      patterns: [
        'arbeitserlaubnis', 'arbeitsgenehmigung', 'aufenthaltstitel', 'aufenthaltserlaubnis', 'visum', 'blaue karte', 'staatsangehorigkeit',
        'staatsburgerschaft',
      ],
    },
    {
      code: 'protected_marital_status',
      severity: 'block',
      patterns: [
        'familienstand', 'verheiratet*', 'ledig', 'geschieden*', 'verwitwet*', 'witwe*', 'ehemann', 'ehemanner', 'ehefrau*', 'ehepartner*', 'ehepaar',
        'heirat*', 'hochzeit*', 'verlobt*', 'lebenspartner*', 'eingetragene? partnerschaft', 'alleinstehend*',
      ],
    },
    {
      code: 'protected_sexual_orientation',
      severity: 'block',
      patterns: ['homosexuell*', 'heterosexuell*', 'bisexuell*', 'schwul*', 'lesbisch*', 'lesben?', 'sexuelle?n? orientierung', 'sexualitat'],
    },
    {
      code: 'vague_phrase',
      severity: 'warn',
      patterns: [
        '(?:passt|passten|passte|passen) (?:leider )?nicht (?:ganz |wirklich |richtig |so )?(?:ins team|in das team|in unser team|zum team|zu uns|zu unserem team|zu unserer kultur|zur (?:unternehmens|firmen)?kultur|in unsere kultur)',
        '(?:kein|keinen|nicht der|nicht den) (?:guten |richtigen )?(?:kultur|culture|cultural|team)~fit',
        '(?:kein|keine|keinen) (?:richtiger |richtige |richtigen |guter |gute |guten )?(?:match|passung|fit)',
        'nicht (?:der|das|den|die) (?:richtige|richtigen|passende|passenden) (?:fit|match|profil|kandidat*|bewerber*|person)',
        'andere (?:kandidat*|bewerber*|profile) (?:waren|hatten|passten) (?:einfach |schlicht |leider )?(?:starker|besser|passender|geeigneter|qualifizierter|erfahrener)',
        '(?:fur einen anderen weg|fur eine andere richtung|anders) entschieden',
        '(?:die )?chemie (?:hat )?(?:einfach )?nicht (?:ganz )?(?:gestimmt|gepasst)', '(?:fehlende|keine|mangelnde) chemie', 'bauchgefuhl',
        '(?:hat sich|fuhlte sich) (?:einfach |leider )?nicht (?:richtig|stimmig|gut) (?:angefuhlt|an)',
        'nicht (?:ganz |genau |wirklich )?(?:das|den|die|der),? (?:wonach|was|den|die|das) wir (?:suchen|gesucht haben)',
      ],
    },
  ],
};
