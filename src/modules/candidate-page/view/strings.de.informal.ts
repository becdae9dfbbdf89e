// The candidate's page in German, informal (du), for organizations that write to candidates
// that way (organization setting `formality.de`). Plain text with {placeholders}; see strings.ts.
// "du", "dein" and "dich" are written in lower case, as German style guides now recommend; the
// greeting uses the first name, as "Hallo" does in the informal emails.
import type { PageStrings } from './strings.js';

export const deInformal: PageStrings = {
  page: {
    title: '{role}, {company}: deine Bewerbung',
    skipLink: 'Zum Hauptinhalt springen',
    personalPage: 'Deine persönliche Seite',
    heading: 'Deine Bewerbung für die Stelle „{role}“',
    greeting: 'Hallo {firstName},',
    status: 'Status:',
    sentOn: 'Gesendet am {date}',
    footer: 'Diese Seite ist nur für dich bestimmt. Bitte gib den Link nicht weiter.',
    opensTracked:
      'Die E-Mails von {company} zu deiner Bewerbung melden über ein unsichtbares Bild, wann du sie öffnest. Lädt dein E-Mail-Programm keine Bilder, wird nichts gemeldet.',
    privacyPolicy: 'Datenschutzerklärung',
    careers: 'Karriere bei {company}',
  },
  decisionStatus: {
    not_moving_forward: 'Bewerbung nicht weiterverfolgt',
    still_deciding: 'Noch in Prüfung',
    on_hold: 'Stelle vorerst pausiert',
    position_cancelled: 'Stelle gestrichen',
    talent_pool_invite: 'Einladung in unseren Talent-Pool',
    update: 'Neuigkeiten zu deiner Bewerbung',
  },
  decisionLead: {
    not_moving_forward: 'wir haben uns entschieden, deine Bewerbung für die Stelle „{role}“ nicht weiterzuverfolgen{reason}.',
    still_deciding: 'zur Stelle „{role}“ haben wir noch keine Entscheidung getroffen, und wir möchten dich nicht im Unklaren lassen.',
    on_hold: 'wir haben die Besetzung der Stelle „{role}“ vorerst pausiert{reason}.',
    position_cancelled: 'wir haben uns entschieden, die Stelle „{role}“ nun doch nicht zu besetzen{reason}. Deine Bewerbung schließen wir deshalb ab.',
    talent_pool_invite:
      'vielen Dank für deine Bewerbung auf die Stelle „{role}“. Wir würden gern mit dir in Kontakt bleiben, wenn bei {company} künftig passende Stellen frei werden.',
    update: 'hier findest du Neuigkeiten von {company} zu deiner Bewerbung für die Stelle „{role}“.',
  },
  decisionDetail: {
    not_moving_forward:
      'Uns ist bewusst, dass du auf eine andere Antwort gehofft hast, und wir wollten sie dir klar mitteilen. Vielen Dank für die Zeit und Sorgfalt, die du in deine Bewerbung gesteckt hast.',
    still_deciding:
      'Deine Bewerbung wird weiterhin berücksichtigt, und du musst im Moment nichts tun. Wir melden uns, sobald wir dir ein Datum oder eine Entscheidung mitteilen können.',
    on_hold:
      'Diese Entscheidung betrifft die Stelle, nicht dich. Deine Bewerbung bleibt bestehen: Wenn wir den Prozess wieder aufnehmen, fragen wir dich zuerst, ob du noch Interesse hast.',
    position_cancelled:
      'Diese Entscheidung betrifft die Stelle, nicht dich. Es tut uns leid, den Prozess auf diese Weise zu beenden, gerade nach der Zeit, die du dir für uns genommen hast.',
    talent_pool_invite:
      'Das ist weder die Zusage einer Stelle noch die eines Gesprächs: Es bedeutet, dass wir uns melden können, wenn eine Stelle wirklich zu dir passt. Die Teilnahme ist freiwillig, und du kannst den Pool jederzeit wieder verlassen.',
    update: 'Wenn etwas unklar ist, kannst du uns auf dieser Seite eine Frage stellen.',
  },
  because: ', vor allem weil {label}',
  pending: {
    heading: 'Hier gibt es noch nichts zu sehen',
    body: '{company} hat dir die Nachricht zu dieser Bewerbung noch nicht gesendet. Schau bitte wieder vorbei, sobald du die E-Mail erhalten hast.',
  },
  feedback: {
    heading: 'Rückmeldungen des Teams',
    intro: 'Das hat sich das Team zu deiner Bewerbung notiert. Wir hoffen, dass es dir für die nächsten Schritte hilft.',
    strengths: 'Deine Stärken',
    areasToImprove: 'Wo wir Entwicklungspotenzial sehen',
    competencies: 'Unsere Einschätzung nach Kompetenzen',
    competencyRating: '{rating} von 5',
    personalNoteFrom: 'Ein paar persönliche Worte von {name}',
    personalNoteFromTeam: 'Ein paar persönliche Worte vom Recruiting-Team',
    none: 'Ein schriftliches Feedback haben wir diesmal nicht für dich. Wenn du unsere Entscheidung besser verstehen möchtest, frag uns gern weiter unten. Wir antworten dir.',
  },
  nextSteps: {
    heading: 'Wie es weitergeht',
    otherOpenings: { one: 'Eine weitere offene Stelle, die zu dir passen könnte', other: 'Weitere offene Stellen, die zu dir passen könnten' },
    otherOpeningsHint: { one: 'Wenn sie dich interessiert, sag uns einfach Bescheid.', other: 'Wenn dich eine davon interessiert, sag uns einfach Bescheid.' },
  },
  contact: {
    heading: 'Deine Ansprechperson',
    nameAndEmail: 'Bei Fragen erreichst du {name} unter {email}. Du kannst deine Frage auch hier auf dieser Seite stellen.',
    emailOnly: 'Bei Fragen erreichst du uns unter {email}. Du kannst deine Frage auch hier auf dieser Seite stellen.',
    nameOnly: 'Deine Ansprechperson ist {name}. Deine Fragen kannst du hier auf dieser Seite stellen.',
  },
  talentPool: {
    heading: 'In Kontakt bleiben',
    invite: 'Möchtest du, dass {company} dich für künftige Stellen im Blick behält? Die Aufnahme in den Talent-Pool ist freiwillig, und du kannst ihn jederzeit wieder verlassen.',
    // The consent is in the first person, so it reads the same in both registers (strings.de.ts).
    consent:
      'Ich bin damit einverstanden, dass die Angaben aus meiner Bewerbung im Talent-Pool von {company} gespeichert werden und dass {company} mich zu künftigen Stellen kontaktiert, die zu meinem Profil passen. Ich kann den Talent-Pool jederzeit über diese Seite wieder verlassen.',
    join: 'Dem Talent-Pool beitreten',
    member: 'Du bist im Talent-Pool von {company}. Das Team kann dich daher zu künftigen Stellen kontaktieren. Du kannst den Pool jederzeit verlassen.',
    leave: 'Talent-Pool verlassen',
  },
  rating: {
    heading: 'War dieses Feedback hilfreich?',
    legend: 'Wie hilfreich war dieses Feedback für dich?',
    scale: ['1: nicht hilfreich', '2: wenig hilfreich', '3: einigermaßen hilfreich', '4: hilfreich', '5: sehr hilfreich'],
    comment: 'Möchtest du noch etwas ergänzen? (optional)',
    commentHint: 'Das Recruiting-Team liest deinen Kommentar. Er hilft dabei, künftig besseres Feedback zu geben.',
    submit: 'Bewertung senden',
    update: 'Bewertung ändern',
    current: 'Du hast dieses Feedback mit {value} von 5 bewertet. Vielen Dank.',
  },
  questions: {
    heading: 'Eine Rückfrage stellen',
    intro: 'Ist etwas unklar, oder möchtest du mehr wissen? Stell deine Frage hier. Die Antwort erscheint auf dieser Seite.',
    history: 'Deine Fragen',
    yourQuestion: 'Deine Frage',
    answer: 'Unsere Antwort',
    askedOn: 'Gestellt am {date}',
    answeredOn: 'Beantwortet am {date}',
    awaiting: 'Noch nicht beantwortet',
    label: 'Was möchtest du wissen?',
    hint: 'Höchstens {max} Zeichen.',
    submit: 'Frage senden',
    oneAtATime: 'Sobald diese Frage beantwortet ist, kannst du eine weitere stellen.',
  },
  answerEmail: {
    subject: 'Deine Frage zur Stelle {role}: unsere Antwort',
    intro: 'Du hast uns eine Frage zu deiner Bewerbung für {role} gestellt. Hier ist unsere Antwort.',
    linkIntro: 'Auf deiner persönlichen Seite kannst du sie erneut lesen und eine weitere Frage stellen:',
    linkText: 'Deine Seite öffnen',
    signOff: 'Dein Recruiting-Team von {company}',
  },
  acknowledgementEmail: {
    subject: 'Wir haben deine Bewerbung für {role} erhalten',
    received: 'Vielen Dank für deine Bewerbung als {role} bei {company}. Wir haben deine Bewerbung erhalten, und eine Person aus unserem Team wird sie lesen.',
    promise: 'Wir melden uns bis zum {date} bei dir, wie auch immer die Entscheidung ausfällt.',
    noPromise: 'Wir geben dir Bescheid, wie es weitergeht, wie auch immer die Entscheidung ausfällt.',
    signOff: 'Dein Recruiting-Team von {company}',
  },
  data: {
    heading: 'Deine Daten',
    intro: 'Du kannst eine Kopie der personenbezogenen Daten anfordern, die {company} im Rahmen dieser Bewerbung über dich gespeichert hat, oder deren Löschung beantragen.',
    exportSubmit: 'Kopie meiner Daten anfordern',
    deletionHint: 'Sobald deine Daten gelöscht sind, ist diese Seite nicht mehr verfügbar, und du verlässt auch den Talent-Pool.',
    deletionConfirm: 'Mir ist bewusst, dass die Löschung meiner Daten nicht rückgängig gemacht werden kann.',
    deletionSubmit: 'Löschung meiner Daten beantragen',
    requests: 'Deine Anfragen',
    kindExport: 'Kopie deiner Daten',
    kindDeletion: 'Löschung deiner Daten',
    requestedOn: 'Angefragt am {date}',
    statusPending: 'In Bearbeitung',
    statusCompleted: 'Erledigt',
  },
  notices: {
    talent_pool_joined: 'Vielen Dank. Du bist dem Talent-Pool beigetreten.',
    talent_pool_left: 'Du hast den Talent-Pool verlassen. Das Team wird dich nicht zu künftigen Stellen kontaktieren.',
    rating_saved: 'Vielen Dank für deine Bewertung. Damit kann das Team künftig besseres Feedback geben.',
    question_sent: 'Deine Frage wurde gesendet. Die Antwort erscheint auf dieser Seite.',
    data_export_requested: 'Wir haben deine Anfrage nach einer Kopie deiner Daten erhalten. Das Team meldet sich per E-Mail bei dir.',
    data_deletion_requested: 'Wir haben deinen Antrag auf Löschung deiner Daten erhalten. Das Team bestätigt dir per E-Mail, sobald die Löschung erfolgt ist.',
    rate_limited: 'Du hast in kurzer Zeit mehrere Anfragen gesendet. Bitte warte ein paar Minuten und versuch es dann erneut.',
    invalid_input: 'Im Formular hat etwas nicht gepasst. Bitte prüf deine Angaben und versuch es erneut.',
    form_expired: 'Zu deiner Sicherheit war das Formular abgelaufen. Bitte versuch es erneut: Diese Seite enthält jetzt ein neues.',
    question_already_open: 'Deine vorherige Frage wartet noch auf eine Antwort. Sobald sie beantwortet ist, kannst du eine weitere stellen.',
  },
  unavailable: {
    title: 'Dieser Link ist nicht verfügbar',
    heading: 'Dieser Link ist nicht verfügbar',
    body: 'Der Link ist möglicherweise unvollständig, abgelaufen oder nicht mehr aktiv.',
    help: 'Wenn du Hilfe brauchst, antworte bitte auf die E-Mail, die du erhalten hast, oder wende dich direkt an das Unternehmen.',
  },
  busy: {
    title: 'Bitte warte einen Moment',
    heading: 'Bitte warte einen Moment',
  },
};
