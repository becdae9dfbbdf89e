// The candidate's page in German (Sie). Plain text with {placeholders}; see strings.ts.
// As in the German emails, the greeting uses the full name and ends with a comma, so the
// decision that follows it starts in lower case.
import type { PageStrings } from './strings.js';

export const de: PageStrings = {
  page: {
    title: '{role}, {company}: Ihre Bewerbung',
    skipLink: 'Zum Hauptinhalt springen',
    personalPage: 'Ihre persönliche Seite',
    heading: 'Ihre Bewerbung für die Stelle „{role}“',
    greeting: 'Guten Tag {name},',
    status: 'Status:',
    sentOn: 'Gesendet am {date}',
    footer: 'Diese Seite ist nur für Sie bestimmt. Bitte geben Sie den Link nicht weiter.',
    opensTracked:
      'Die E-Mails von {company} zu Ihrer Bewerbung melden über ein unsichtbares Bild, wann Sie sie öffnen. Lädt Ihr E-Mail-Programm keine Bilder, wird nichts gemeldet.',
    privacyPolicy: 'Datenschutzerklärung',
    careers: 'Karriere bei {company}',
  },
  decisionStatus: {
    not_moving_forward: 'Bewerbung nicht weiterverfolgt',
    still_deciding: 'Noch in Prüfung',
    on_hold: 'Stelle vorerst pausiert',
    position_cancelled: 'Stelle gestrichen',
    talent_pool_invite: 'Einladung in unseren Talent-Pool',
    update: 'Neuigkeiten zu Ihrer Bewerbung',
  },
  decisionLead: {
    not_moving_forward: 'wir haben uns entschieden, Ihre Bewerbung für die Stelle „{role}“ nicht weiterzuverfolgen{reason}.',
    still_deciding: 'zur Stelle „{role}“ haben wir noch keine Entscheidung getroffen, und wir möchten Sie nicht im Unklaren lassen.',
    on_hold: 'wir haben die Besetzung der Stelle „{role}“ vorerst pausiert{reason}.',
    position_cancelled: 'wir haben uns entschieden, die Stelle „{role}“ nun doch nicht zu besetzen{reason}. Ihre Bewerbung schließen wir deshalb ab.',
    talent_pool_invite:
      'vielen Dank für Ihre Bewerbung auf die Stelle „{role}“. Wir würden gern mit Ihnen in Kontakt bleiben, wenn bei {company} künftig passende Stellen frei werden.',
    update: 'hier finden Sie Neuigkeiten von {company} zu Ihrer Bewerbung für die Stelle „{role}“.',
  },
  decisionDetail: {
    not_moving_forward:
      'Uns ist bewusst, dass Sie auf eine andere Antwort gehofft haben, und wir wollten sie Ihnen klar mitteilen. Vielen Dank für die Zeit und Sorgfalt, die Sie in Ihre Bewerbung gesteckt haben.',
    still_deciding:
      'Ihre Bewerbung wird weiterhin berücksichtigt, und Sie müssen im Moment nichts tun. Wir melden uns, sobald wir Ihnen ein Datum oder eine Entscheidung mitteilen können.',
    on_hold:
      'Diese Entscheidung betrifft die Stelle, nicht Sie. Ihre Bewerbung bleibt bestehen: Wenn wir den Prozess wieder aufnehmen, fragen wir Sie zuerst, ob Sie noch Interesse haben.',
    position_cancelled:
      'Diese Entscheidung betrifft die Stelle, nicht Sie. Es tut uns leid, den Prozess auf diese Weise zu beenden, gerade nach der Zeit, die Sie sich für uns genommen haben.',
    talent_pool_invite:
      'Das ist weder die Zusage einer Stelle noch die eines Gesprächs: Es bedeutet, dass wir uns melden können, wenn eine Stelle wirklich zu Ihnen passt. Die Teilnahme ist freiwillig, und Sie können den Pool jederzeit wieder verlassen.',
    update: 'Wenn etwas unklar ist, können Sie uns auf dieser Seite eine Frage stellen.',
  },
  because: ', vor allem weil {label}',
  pending: {
    heading: 'Hier gibt es noch nichts zu sehen',
    body: '{company} hat Ihnen die Nachricht zu dieser Bewerbung noch nicht gesendet. Bitte schauen Sie wieder vorbei, sobald Sie die E-Mail erhalten haben.',
  },
  feedback: {
    heading: 'Rückmeldungen des Teams',
    intro: 'Das hat sich das Team zu Ihrer Bewerbung notiert. Wir hoffen, dass es Ihnen für die nächsten Schritte hilft.',
    strengths: 'Ihre Stärken',
    areasToImprove: 'Wo wir Entwicklungspotenzial sehen',
    competencies: 'Unsere Einschätzung nach Kompetenzen',
    competencyRating: '{rating} von 5',
    personalNoteFrom: 'Ein paar persönliche Worte von {name}',
    personalNoteFromTeam: 'Ein paar persönliche Worte vom Recruiting-Team',
    none: 'Ein schriftliches Feedback haben wir diesmal nicht für Sie. Wenn Sie unsere Entscheidung besser verstehen möchten, fragen Sie uns gern weiter unten. Wir antworten Ihnen.',
  },
  nextSteps: {
    heading: 'Wie es weitergeht',
    otherOpenings: { one: 'Eine weitere offene Stelle, die zu Ihnen passen könnte', other: 'Weitere offene Stellen, die zu Ihnen passen könnten' },
    otherOpeningsHint: { one: 'Wenn sie Sie interessiert, sagen Sie uns einfach Bescheid.', other: 'Wenn Sie eine davon interessiert, sagen Sie uns einfach Bescheid.' },
  },
  contact: {
    heading: 'Ihre Ansprechperson',
    nameAndEmail: 'Bei Fragen erreichen Sie {name} unter {email}. Sie können Ihre Frage auch hier auf dieser Seite stellen.',
    emailOnly: 'Bei Fragen erreichen Sie uns unter {email}. Sie können Ihre Frage auch hier auf dieser Seite stellen.',
    nameOnly: 'Ihre Ansprechperson ist {name}. Ihre Fragen können Sie hier auf dieser Seite stellen.',
  },
  talentPool: {
    heading: 'In Kontakt bleiben',
    invite: 'Möchten Sie, dass {company} Sie für künftige Stellen im Blick behält? Die Aufnahme in den Talent-Pool ist freiwillig, und Sie können ihn jederzeit wieder verlassen.',
    consent:
      'Ich bin damit einverstanden, dass die Angaben aus meiner Bewerbung im Talent-Pool von {company} gespeichert werden und dass {company} mich zu künftigen Stellen kontaktiert, die zu meinem Profil passen. Ich kann den Talent-Pool jederzeit über diese Seite wieder verlassen.',
    join: 'Dem Talent-Pool beitreten',
    member: 'Sie sind im Talent-Pool von {company}. Das Team kann Sie daher zu künftigen Stellen kontaktieren. Sie können den Pool jederzeit verlassen.',
    leave: 'Talent-Pool verlassen',
  },
  rating: {
    heading: 'War dieses Feedback hilfreich?',
    legend: 'Wie hilfreich war dieses Feedback für Sie?',
    scale: ['1: nicht hilfreich', '2: wenig hilfreich', '3: einigermaßen hilfreich', '4: hilfreich', '5: sehr hilfreich'],
    comment: 'Möchten Sie noch etwas ergänzen? (optional)',
    commentHint: 'Das Recruiting-Team liest Ihren Kommentar. Er hilft dabei, künftig besseres Feedback zu geben.',
    submit: 'Bewertung senden',
    update: 'Bewertung ändern',
    current: 'Sie haben dieses Feedback mit {value} von 5 bewertet. Vielen Dank.',
  },
  questions: {
    heading: 'Eine Rückfrage stellen',
    intro: 'Ist etwas unklar, oder möchten Sie mehr wissen? Stellen Sie Ihre Frage hier. Die Antwort erscheint auf dieser Seite.',
    history: 'Ihre Fragen',
    yourQuestion: 'Ihre Frage',
    answer: 'Unsere Antwort',
    askedOn: 'Gestellt am {date}',
    answeredOn: 'Beantwortet am {date}',
    awaiting: 'Noch nicht beantwortet',
    label: 'Was möchten Sie wissen?',
    hint: 'Höchstens {max} Zeichen.',
    submit: 'Frage senden',
    oneAtATime: 'Sobald diese Frage beantwortet ist, können Sie eine weitere stellen.',
  },
  answerEmail: {
    subject: 'Ihre Frage zur Stelle {role}: unsere Antwort',
    intro: 'Sie haben uns eine Frage zu Ihrer Bewerbung für {role} gestellt. Hier ist unsere Antwort.',
    linkIntro: 'Auf Ihrer persönlichen Seite können Sie sie erneut lesen und eine weitere Frage stellen:',
    linkText: 'Ihre Seite öffnen',
    signOff: 'Ihr Recruiting-Team von {company}',
  },
  data: {
    heading: 'Ihre Daten',
    intro: 'Sie können eine Kopie der personenbezogenen Daten anfordern, die {company} im Rahmen dieser Bewerbung über Sie gespeichert hat, oder deren Löschung beantragen.',
    exportSubmit: 'Kopie meiner Daten anfordern',
    deletionHint: 'Sobald Ihre Daten gelöscht sind, ist diese Seite nicht mehr verfügbar, und Sie verlassen auch den Talent-Pool.',
    deletionConfirm: 'Mir ist bewusst, dass die Löschung meiner Daten nicht rückgängig gemacht werden kann.',
    deletionSubmit: 'Löschung meiner Daten beantragen',
    requests: 'Ihre Anfragen',
    kindExport: 'Kopie Ihrer Daten',
    kindDeletion: 'Löschung Ihrer Daten',
    requestedOn: 'Angefragt am {date}',
    statusPending: 'In Bearbeitung',
    statusCompleted: 'Erledigt',
  },
  notices: {
    talent_pool_joined: 'Vielen Dank. Sie sind dem Talent-Pool beigetreten.',
    talent_pool_left: 'Sie haben den Talent-Pool verlassen. Das Team wird Sie nicht zu künftigen Stellen kontaktieren.',
    rating_saved: 'Vielen Dank für Ihre Bewertung. Sie hilft dem Team, besseres Feedback zu geben.',
    question_sent: 'Ihre Frage wurde gesendet. Die Antwort erscheint auf dieser Seite.',
    data_export_requested: 'Wir haben Ihre Anfrage nach einer Kopie Ihrer Daten erhalten. Das Team meldet sich per E-Mail bei Ihnen.',
    data_deletion_requested: 'Wir haben Ihren Antrag auf Löschung Ihrer Daten erhalten. Das Team bestätigt Ihnen per E-Mail, sobald die Löschung erfolgt ist.',
    rate_limited: 'Sie haben in kurzer Zeit mehrere Anfragen gesendet. Bitte warten Sie ein paar Minuten und versuchen Sie es dann erneut.',
    invalid_input: 'Im Formular hat etwas nicht gepasst. Bitte prüfen Sie Ihre Angaben und versuchen Sie es erneut.',
    form_expired: 'Zu Ihrer Sicherheit war das Formular abgelaufen. Bitte versuchen Sie es erneut: Diese Seite enthält jetzt ein neues.',
    question_already_open: 'Ihre vorherige Frage wartet noch auf eine Antwort. Sobald sie beantwortet ist, können Sie eine weitere stellen.',
  },
  unavailable: {
    title: 'Dieser Link ist nicht verfügbar',
    heading: 'Dieser Link ist nicht verfügbar',
    body: 'Der Link ist möglicherweise unvollständig, abgelaufen oder nicht mehr aktiv.',
    help: 'Wenn Sie Hilfe brauchen, antworten Sie bitte auf die E-Mail, die Sie erhalten haben, oder wenden Sie sich direkt an das Unternehmen.',
  },
  busy: {
    title: 'Bitte warten Sie einen Moment',
    heading: 'Bitte warten Sie einen Moment',
  },
};
