// What a notification says, in the reader's language (en, fr, de, es, pt, it, nl; anything else
// reads English), written when it is shown from the facts stored with it, so a person who changes
// language reads their whole list in the new one. Colleagues are addressed in one register per
// language, here and in people/people.emails.ts alike: the one their workplace software speaks
// (Sie, vous, Lei; tú, você, je).
import { z } from 'zod';

export const notificationTypes = [
  'question_waiting',
  'data_request',
  'data_request_due',
  'message_held',
  'message_failed',
  'plan_waiting',
  'plan_expiring',
  'approval_waiting',
  'endpoint_disabled',
  'postmark_refused',
  'promise_passed',
  'offer_declined',
  'offer_hold_long',
  'promise_due_soon',
  'ats_unreachable',
  'ats_writeback_failed',
  'ats_setup_failed',
] as const;
export type NotificationType = (typeof notificationTypes)[number];

/** What a notification links to. */
export const subjectKinds = ['question', 'data_request', 'message', 'plan', 'endpoint', 'organization', 'application', 'requisition', 'ats_connection'] as const;
export type SubjectKind = (typeof subjectKinds)[number];

/** The facts stored with a notification (codes, counts and kinds Hearback wrote, never a candidate's words). */
export const notificationDetailSchema = z
  .object({
    code: z.string().max(100),
    kind: z.string().max(50),
    count: z.number().int(),
    messageId: z.uuid(),
    condition: z.string().max(50),
  })
  .partial();
export type NotificationDetail = z.infer<typeof notificationDetailSchema>;

export const languages = ['en', 'fr', 'de', 'es', 'pt', 'it', 'nl'] as const;
export type Language = (typeof languages)[number];

/** `fr-CA` reads French; a language without a catalogue reads English. */
export function catalogueLanguage(language: string): Language {
  const base = language.toLowerCase().split('-')[0];
  return languages.find((known) => known === base) ?? 'en';
}

interface Facts extends NotificationDetail {
  /** The due date or expiry, already written in the reader's language and time zone. */
  due: string | null;
}

type Lines = Record<NotificationType, (f: Facts) => { title: string; summary: string }>;

const n = (f: Facts) => f.count ?? 1;
/** The ATS's own name (a provider, stored as `kind`). */
const atsName = (f: Facts) => ({ greenhouse: 'Greenhouse', lever: 'Lever', ashby: 'Ashby' })[f.kind ?? ''] ?? 'the ATS';
const dueEn = (f: Facts) => (f.due ? ` Due ${f.due}.` : '');

const en: Lines = {
  question_waiting: () => ({ title: 'A candidate asked a question', summary: 'It waits for an answer; the candidate is emailed when you answer it.' }),
  data_request: (f) => ({ title: `A candidate asked for a data ${f.kind === 'deletion' ? 'deletion' : 'export'}`, summary: `A legal deadline applies.${dueEn(f)}` }),
  data_request_due: (f) => ({ title: `A data ${f.kind === 'deletion' ? 'deletion' : 'export'} request is due soon`, summary: `It is still pending.${dueEn(f)}` }),
  message_held: (f) => ({ title: 'A message was held before it left', summary: `A check stopped it (${f.code ?? 'held'}): edit, retry or cancel it.` }),
  message_failed: (f) => ({ title: 'A message could not be delivered', summary: `Delivery failed (${f.code ?? 'failed'}); the candidate was most likely not told.` }),
  plan_waiting: (f) => ({ title: 'A decision from your ATS waits for confirmation', summary: `${n(f)} item(s) to confirm before the plan expires.${dueEn(f)}` }),
  plan_expiring: (f) => ({ title: 'A plan from your ATS expires soon', summary: `Confirm it, or it expires and nothing is sent.${dueEn(f)}` }),
  approval_waiting: (f) => ({ title: `${n(f)} message(s) wait for a second approver`, summary: 'Whoever wrote or confirmed them cannot approve them: it is up to you.' }),
  offer_hold_long: (f) => ({
    title: 'Runner-ups have waited a week for the offer’s answer',
    summary: `${n(f)} rejection(s) are held until the chosen candidate accepts or declines: record the answer, or send them an honest update.`,
  }),
  promise_due_soon: (f) => ({ title: `${n(f)} promised decision(s) fall due within a day`, summary: `Send the decision or an honest update before the date passes.${dueEn(f)}` }),
  endpoint_disabled: () => ({ title: 'A webhook endpoint was disabled', summary: 'It stopped receiving events; recover it once it answers again.' }),
  promise_passed: (f) => ({
    title: f.code === 'silence' ? 'A candidate has heard nothing for too long' : 'A promised decision date passed',
    summary: `A status update with a new date waits for your confirmation.${f.due ? ` New date: ${f.due}.` : ''}`,
  }),
  offer_declined: (f) => ({ title: 'The offer was declined or withdrawn', summary: `${n(f)} held rejection(s) were cancelled before they left: choose again.` }),
  postmark_refused: (f) => ({
    title: 'Postmark refuses to send for the organization',
    summary: `Messages fail until the Postmark setup is fixed (${f.condition ?? 'refused'}).`,
  }),
  ats_unreachable: (f) => ({
    title: `Hearback stopped calling ${atsName(f)} for a while`,
    summary: 'Its API failed again and again; write-backs wait and retry on their own. The connection shows the last error.',
  }),
  ats_writeback_failed: (f) => ({
    title: `${n(f)} write-back(s) to ${atsName(f)} failed`,
    summary: `${atsName(f)} still shows what it showed before (a rejection, a note or an erasure not made). The connection's activity says why; fix it, and do what is missing in ${atsName(f)} by hand.`,
  }),
  ats_setup_failed: (f) => ({
    title: f.code === 'webhooks' ? `Hearback could not register its webhooks in ${atsName(f)}` : `The import from ${atsName(f)} failed`,
    summary:
      f.code === 'webhooks'
        ? 'Events from the ATS may not arrive. The connection shows why; fix it, then save the credentials again.'
        : 'The connection shows why; fix it, then start the import again.',
  }),
};

const fr: Lines = {
  question_waiting: () => ({ title: 'Un candidat a posé une question', summary: 'Elle attend une réponse ; le candidat reçoit un e-mail quand vous répondez.' }),
  data_request: (f) => ({
    title: `Un candidat demande ${f.kind === 'deletion' ? 'la suppression' : 'l’export'} de ses données`,
    summary: `Un délai légal s’applique.${f.due ? ` Échéance : ${f.due}.` : ''}`,
  }),
  data_request_due: (f) => ({ title: 'Une demande de données arrive à échéance', summary: `Elle est toujours en attente.${f.due ? ` Échéance : ${f.due}.` : ''}` }),
  message_held: (f) => ({ title: 'Un message a été retenu avant son envoi', summary: `Un contrôle l’a arrêté (${f.code ?? 'held'}) : modifiez-le, relancez-le ou annulez-le.` }),
  message_failed: (f) => ({ title: 'Un message n’a pas pu être remis', summary: `L’envoi a échoué (${f.code ?? 'failed'}) ; le candidat n’a probablement rien reçu.` }),
  plan_waiting: (f) => ({
    title: 'Une décision de votre ATS attend confirmation',
    summary: `${n(f)} élément(s) à confirmer avant expiration.${f.due ? ` Expire le ${f.due}.` : ''}`,
  }),
  plan_expiring: (f) => ({ title: 'Un plan de votre ATS expire bientôt', summary: `Confirmez-le, sinon rien ne sera envoyé.${f.due ? ` Expire le ${f.due}.` : ''}` }),
  approval_waiting: (f) => ({ title: `${n(f)} message(s) attendent un second approbateur`, summary: 'Qui les a rédigés ou confirmés ne peut pas les approuver : c’est à vous.' }),
  offer_hold_long: (f) => ({
    title: 'Des finalistes attendent depuis une semaine la réponse à l’offre',
    summary: `${n(f)} refus restent en attente jusqu’à ce que la personne choisie accepte ou refuse\u00a0: enregistrez sa réponse, ou envoyez-leur une mise à jour honnête.`,
  }),
  promise_due_soon: (f) => ({
    title: `${n(f)} décision(s) promise(s) arrivent à échéance sous 24\u00a0heures`,
    summary: `Envoyez la décision ou une mise à jour honnête avant la date.${f.due ? ` Échéance\u00a0: ${f.due}.` : ''}`,
  }),
  endpoint_disabled: () => ({ title: 'Un endpoint de webhook a été désactivé', summary: 'Il ne reçoit plus d’événements ; réactivez-le quand il répond à nouveau.' }),
  promise_passed: (f) => ({
    title: f.code === 'silence' ? 'Un candidat est sans nouvelles depuis trop longtemps' : 'Une date de décision promise est passée',
    summary: `Une mise à jour avec une nouvelle date attend votre confirmation.${f.due ? ` Nouvelle date\u00a0: ${f.due}.` : ''}`,
  }),
  offer_declined: (f) => ({ title: 'L’offre a été refusée ou retirée', summary: `${n(f)} refus en attente ont été annulés avant leur envoi\u00a0: choisissez à nouveau.` }),
  postmark_refused: (f) => ({
    title: 'Postmark refuse d’envoyer pour l’organisation',
    summary: `Les messages échouent tant que Postmark n’est pas corrigé (${f.condition ?? 'refused'}).`,
  }),
  ats_unreachable: (f) => ({
    title: `Hearback a cessé d’appeler ${atsName(f)} pour un temps`,
    summary: 'Son API a échoué à répétition ; les mises à jour attendent et seront retentées d’elles-mêmes. La connexion montre la dernière erreur.',
  }),
  ats_writeback_failed: (f) => ({
    title: `${n(f)} mise(s) à jour de ${atsName(f)} ont échoué`,
    summary: `${atsName(f)} montre toujours l’état précédent (un refus, une note ou un effacement non faits). L’activité de la connexion en donne la raison ; corrigez-la et faites à la main dans ${atsName(f)} ce qui manque.`,
  }),
  ats_setup_failed: (f) => ({
    title: f.code === 'webhooks' ? `Hearback n’a pas pu enregistrer ses webhooks dans ${atsName(f)}` : `L’import depuis ${atsName(f)} a échoué`,
    summary:
      f.code === 'webhooks'
        ? 'Les événements de l’ATS risquent de ne pas arriver. La connexion en donne la raison ; corrigez-la, puis enregistrez à nouveau les identifiants.'
        : 'La connexion en donne la raison ; corrigez-la, puis relancez l’import.',
  }),
};

const de: Lines = {
  question_waiting: () => ({
    title: 'Eine Kandidatin oder ein Kandidat hat eine Frage gestellt',
    summary: 'Sie wartet auf eine Antwort; nach Ihrer Antwort geht eine E-Mail hinaus.',
  }),
  data_request: (f) => ({
    title: `Anfrage auf ${f.kind === 'deletion' ? 'Löschung' : 'Export'} der Daten`,
    summary: `Es gilt eine gesetzliche Frist.${f.due ? ` Fällig am ${f.due}.` : ''}`,
  }),
  data_request_due: (f) => ({ title: 'Eine Datenanfrage wird bald fällig', summary: `Sie ist noch offen.${f.due ? ` Fällig am ${f.due}.` : ''}` }),
  message_held: (f) => ({
    title: 'Eine Nachricht wurde vor dem Versand angehalten',
    summary: `Eine Prüfung hat sie gestoppt (${f.code ?? 'held'}): bearbeiten, erneut senden oder abbrechen.`,
  }),
  message_failed: (f) => ({ title: 'Eine Nachricht konnte nicht zugestellt werden', summary: `Der Versand ist fehlgeschlagen (${f.code ?? 'failed'}).` }),
  plan_waiting: (f) => ({
    title: 'Eine Entscheidung aus Ihrem ATS wartet auf Bestätigung',
    summary: `${n(f)} Eintrag/Einträge zu bestätigen.${f.due ? ` Läuft ab am ${f.due}.` : ''}`,
  }),
  plan_expiring: (f) => ({ title: 'Ein Plan aus Ihrem ATS läuft bald ab', summary: `Bestätigen Sie ihn, sonst wird nichts gesendet.${f.due ? ` Läuft ab am ${f.due}.` : ''}` }),
  approval_waiting: (f) => ({ title: `${n(f)} Nachricht(en) warten auf eine zweite Freigabe`, summary: 'Wer sie verfasst oder bestätigt hat, darf sie nicht freigeben.' }),
  offer_hold_long: (f) => ({
    title: 'Finalisten warten seit einer Woche auf die Antwort zum Angebot',
    summary: `${n(f)} Absage(n) bleiben zurückgehalten, bis die gewählte Person annimmt oder ablehnt: Erfassen Sie die Antwort oder senden Sie ihnen einen ehrlichen Zwischenstand.`,
  }),
  promise_due_soon: (f) => ({
    title: `${n(f)} zugesagte Entscheidung(en) werden innerhalb eines Tages fällig`,
    summary: `Senden Sie die Entscheidung oder einen ehrlichen Zwischenstand, bevor der Termin verstreicht.${f.due ? ` Fällig am ${f.due}.` : ''}`,
  }),
  endpoint_disabled: () => ({ title: 'Ein Webhook-Endpunkt wurde deaktiviert', summary: 'Er erhält keine Ereignisse mehr.' }),
  promise_passed: (f) => ({
    title: f.code === 'silence' ? 'Eine Bewerbung wartet zu lange auf Nachricht' : 'Ein zugesagter Entscheidungstermin ist verstrichen',
    summary: `Ein Zwischenstand mit neuem Datum wartet auf Ihre Bestätigung.${f.due ? ` Neues Datum: ${f.due}.` : ''}`,
  }),
  offer_declined: (f) => ({
    title: 'Das Angebot wurde abgelehnt oder zurückgezogen',
    summary: `${n(f)} zurückgehaltene Absage(n) wurden vor dem Versand storniert: Bitte wählen Sie erneut.`,
  }),
  postmark_refused: (f) => ({
    title: 'Postmark verweigert den Versand',
    summary: `Nachrichten scheitern, bis die Postmark-Einrichtung korrigiert ist (${f.condition ?? 'refused'}).`,
  }),
  ats_unreachable: (f) => ({
    title: `Hearback ruft ${atsName(f)} vorübergehend nicht mehr auf`,
    summary: 'Die API ist wiederholt fehlgeschlagen; Rückmeldungen warten und werden von selbst erneut versucht. Die Verbindung zeigt den letzten Fehler.',
  }),
  ats_writeback_failed: (f) => ({
    title: `${n(f)} Rückmeldung(en) an ${atsName(f)} fehlgeschlagen`,
    summary: `${atsName(f)} zeigt noch den alten Stand (eine Absage, eine Notiz oder eine Löschung fehlt). Die Aktivität der Verbindung nennt den Grund; beheben Sie ihn und holen Sie das Fehlende in ${atsName(f)} von Hand nach.`,
  }),
  ats_setup_failed: (f) => ({
    title: f.code === 'webhooks' ? `Hearback konnte seine Webhooks in ${atsName(f)} nicht registrieren` : `Der Import aus ${atsName(f)} ist fehlgeschlagen`,
    summary:
      f.code === 'webhooks'
        ? 'Ereignisse aus dem ATS kommen womöglich nicht an. Die Verbindung nennt den Grund; beheben Sie ihn und speichern Sie die Zugangsdaten erneut.'
        : 'Die Verbindung nennt den Grund; beheben Sie ihn und starten Sie den Import erneut.',
  }),
};

const es: Lines = {
  question_waiting: () => ({ title: 'Un candidato ha hecho una pregunta', summary: 'Espera una respuesta; el candidato recibe un correo cuando respondes.' }),
  data_request: (f) => ({
    title: `Un candidato pide ${f.kind === 'deletion' ? 'la eliminación' : 'la exportación'} de sus datos`,
    summary: `Se aplica un plazo legal.${f.due ? ` Vence el ${f.due}.` : ''}`,
  }),
  data_request_due: (f) => ({ title: 'Una solicitud de datos vence pronto', summary: `Sigue pendiente.${f.due ? ` Vence el ${f.due}.` : ''}` }),
  message_held: (f) => ({ title: 'Un mensaje fue retenido antes de salir', summary: `Una comprobación lo detuvo (${f.code ?? 'held'}): edítalo, reinténtalo o cancélalo.` }),
  message_failed: (f) => ({ title: 'Un mensaje no se pudo entregar', summary: `El envío falló (${f.code ?? 'failed'}); lo más probable es que el candidato no lo recibiera.` }),
  plan_waiting: (f) => ({ title: 'Una decisión de tu ATS espera confirmación', summary: `${n(f)} elemento(s) por confirmar.${f.due ? ` Caduca el ${f.due}.` : ''}` }),
  plan_expiring: (f) => ({ title: 'Un plan de tu ATS caduca pronto', summary: `Confírmalo o no se enviará nada.${f.due ? ` Caduca el ${f.due}.` : ''}` }),
  approval_waiting: (f) => ({ title: `${n(f)} mensaje(s) esperan una segunda aprobación`, summary: 'Quien los escribió o confirmó no puede aprobarlos.' }),
  offer_hold_long: (f) => ({
    title: 'Los finalistas llevan una semana esperando la respuesta a la oferta',
    summary: `${n(f)} rechazo(s) siguen en espera hasta que la persona elegida acepte o rechace: registra su respuesta o envíales una actualización honesta.`,
  }),
  promise_due_soon: (f) => ({
    title: `${n(f)} decisión(es) prometida(s) vencen en un día`,
    summary: `Envía la decisión o una actualización honesta antes de la fecha.${f.due ? ` Vence el ${f.due}.` : ''}`,
  }),
  endpoint_disabled: () => ({ title: 'Se desactivó un endpoint de webhook', summary: 'Ya no recibe eventos.' }),
  promise_passed: (f) => ({
    title: f.code === 'silence' ? 'Un candidato lleva demasiado tiempo sin noticias' : 'Ha pasado una fecha de decisión prometida',
    summary: `Una actualización con una nueva fecha espera tu confirmación.${f.due ? ` Nueva fecha: ${f.due}.` : ''}`,
  }),
  offer_declined: (f) => ({ title: 'La oferta fue rechazada o retirada', summary: `Se cancelaron ${n(f)} rechazo(s) en espera antes de enviarse: vuelve a elegir.` }),
  postmark_refused: (f) => ({ title: 'Postmark se niega a enviar para la organización', summary: `Los mensajes fallan hasta corregir Postmark (${f.condition ?? 'refused'}).` }),
  ats_unreachable: (f) => ({
    title: `Hearback dejó de llamar a ${atsName(f)} por un tiempo`,
    summary: 'Su API falló una y otra vez; las actualizaciones esperan y se reintentan solas. La conexión muestra el último error.',
  }),
  ats_writeback_failed: (f) => ({
    title: `${n(f)} actualización(es) de ${atsName(f)} fallaron`,
    summary: `${atsName(f)} sigue mostrando lo de antes (un rechazo, una nota o un borrado sin hacer). La actividad de la conexión explica por qué; corrígelo y haz a mano en ${atsName(f)} lo que falta.`,
  }),
  ats_setup_failed: (f) => ({
    title: f.code === 'webhooks' ? `Hearback no pudo registrar sus webhooks en ${atsName(f)}` : `La importación desde ${atsName(f)} falló`,
    summary:
      f.code === 'webhooks'
        ? 'Puede que no lleguen los eventos del ATS. La conexión explica por qué; corrígelo y vuelve a guardar las credenciales.'
        : 'La conexión explica por qué; corrígelo y vuelve a iniciar la importación.',
  }),
};

const pt: Lines = {
  question_waiting: () => ({ title: 'Um candidato fez uma pergunta', summary: 'Ela aguarda uma resposta; o candidato recebe um e-mail quando você responder.' }),
  data_request: (f) => ({
    title: `Um candidato pede ${f.kind === 'deletion' ? 'a exclusão' : 'a exportação'} dos próprios dados`,
    summary: `Há um prazo legal.${f.due ? ` Prazo: ${f.due}.` : ''}`,
  }),
  data_request_due: (f) => ({ title: 'Um pedido de dados vence em breve', summary: `Ele ainda está pendente.${f.due ? ` Prazo: ${f.due}.` : ''}` }),
  message_held: (f) => ({ title: 'Uma mensagem foi retida antes de sair', summary: `Uma verificação a bloqueou (${f.code ?? 'held'}): edite, tente de novo ou cancele.` }),
  message_failed: (f) => ({
    title: 'Uma mensagem não pôde ser entregue',
    summary: `O envio falhou (${f.code ?? 'failed'}); o mais provável é que o candidato não tenha recebido nada.`,
  }),
  plan_waiting: (f) => ({
    title: 'Uma decisão do seu ATS aguarda confirmação',
    summary: `${n(f)} item(ns) a confirmar antes que o plano expire.${f.due ? ` Expira em ${f.due}.` : ''}`,
  }),
  plan_expiring: (f) => ({ title: 'Um plano do seu ATS expira em breve', summary: `Confirme-o, ou ele expira e nada é enviado.${f.due ? ` Expira em ${f.due}.` : ''}` }),
  approval_waiting: (f) => ({ title: `${n(f)} mensagem(ns) aguardam uma segunda aprovação`, summary: 'Quem as escreveu ou confirmou não pode aprová-las: cabe a você.' }),
  offer_hold_long: (f) => ({
    title: 'Os finalistas esperam há uma semana pela resposta à oferta',
    summary: `${n(f)} recusa(s) ficam retidas até que a pessoa escolhida aceite ou recuse: registre a resposta ou envie a eles uma atualização honesta.`,
  }),
  promise_due_soon: (f) => ({
    title: `${n(f)} decisão(ões) prometida(s) vencem em até um dia`,
    summary: `Envie a decisão ou uma atualização honesta antes da data.${f.due ? ` Prazo: ${f.due}.` : ''}`,
  }),
  endpoint_disabled: () => ({ title: 'Um endpoint de webhook foi desativado', summary: 'Ele parou de receber eventos; reative-o quando ele voltar a responder.' }),
  promise_passed: (f) => ({
    title: f.code === 'silence' ? 'Um candidato está sem notícias há tempo demais' : 'Passou uma data de decisão prometida',
    summary: `Uma atualização com uma nova data aguarda a sua confirmação.${f.due ? ` Nova data: ${f.due}.` : ''}`,
  }),
  offer_declined: (f) => ({ title: 'A oferta foi recusada ou retirada', summary: `${n(f)} recusa(s) retida(s) foram canceladas antes de sair: escolha de novo.` }),
  postmark_refused: (f) => ({
    title: 'O Postmark se recusa a enviar pela organização',
    summary: `As mensagens falham até que a configuração do Postmark seja corrigida (${f.condition ?? 'refused'}).`,
  }),
  ats_unreachable: (f) => ({
    title: `O Hearback parou de chamar ${atsName(f)} por um tempo`,
    summary: 'A API falhou repetidas vezes; as atualizações aguardam e são tentadas de novo sozinhas. A conexão mostra o último erro.',
  }),
  ats_writeback_failed: (f) => ({
    title: `${n(f)} atualização(ões) de ${atsName(f)} falharam`,
    summary: `${atsName(f)} ainda mostra o estado anterior (uma rejeição, uma nota ou um apagamento não feitos). A atividade da conexão diz o porquê; corrija e faça à mão em ${atsName(f)} o que falta.`,
  }),
  ats_setup_failed: (f) => ({
    title: f.code === 'webhooks' ? `O Hearback não conseguiu registrar seus webhooks em ${atsName(f)}` : `A importação de ${atsName(f)} falhou`,
    summary:
      f.code === 'webhooks'
        ? 'Os eventos do ATS podem não chegar. A conexão diz o porquê; corrija e salve as credenciais de novo.'
        : 'A conexão diz o porquê; corrija e inicie a importação de novo.',
  }),
};

const it: Lines = {
  question_waiting: () => ({ title: 'Un candidato ha posto una domanda', summary: 'Attende una risposta; il candidato riceve un’email non appena lei risponde.' }),
  data_request: (f) => ({
    title: `Un candidato chiede ${f.kind === 'deletion' ? 'la cancellazione' : 'l’esportazione'} dei propri dati`,
    summary: `Si applica un termine di legge.${f.due ? ` Scadenza: ${f.due}.` : ''}`,
  }),
  data_request_due: (f) => ({ title: 'Una richiesta sui dati scade a breve', summary: `È ancora in attesa.${f.due ? ` Scadenza: ${f.due}.` : ''}` }),
  message_held: (f) => ({
    title: 'Un messaggio è stato trattenuto prima dell’invio',
    summary: `Un controllo lo ha fermato (${f.code ?? 'held'}): lo modifichi, lo riprovi o lo annulli.`,
  }),
  message_failed: (f) => ({
    title: 'Un messaggio non è stato recapitato',
    summary: `L’invio non è riuscito (${f.code ?? 'failed'}); molto probabilmente il candidato non ha ricevuto nulla.`,
  }),
  plan_waiting: (f) => ({
    title: 'Una decisione del suo ATS attende conferma',
    summary: `${n(f)} elemento/i da confermare prima che il piano scada.${f.due ? ` Scade il ${f.due}.` : ''}`,
  }),
  plan_expiring: (f) => ({ title: 'Un piano del suo ATS scade a breve', summary: `Lo confermi, altrimenti scade e non viene inviato nulla.${f.due ? ` Scade il ${f.due}.` : ''}` }),
  approval_waiting: (f) => ({ title: `${n(f)} messaggio/i attendono una seconda approvazione`, summary: 'Chi li ha scritti o confermati non può approvarli: tocca a lei.' }),
  offer_hold_long: (f) => ({
    title: 'I finalisti aspettano da una settimana la risposta all’offerta',
    summary: `${n(f)} rifiuto/i restano trattenuti finché la persona scelta non accetta o rifiuta: registri la risposta o invii loro un aggiornamento onesto.`,
  }),
  promise_due_soon: (f) => ({
    title: `${n(f)} decisione/i promessa/e scadono entro un giorno`,
    summary: `Invii la decisione o un aggiornamento onesto prima della data.${f.due ? ` Scadenza: ${f.due}.` : ''}`,
  }),
  endpoint_disabled: () => ({ title: 'Un endpoint webhook è stato disattivato', summary: 'Non riceve più eventi; lo riattivi quando torna a rispondere.' }),
  promise_passed: (f) => ({
    title: f.code === 'silence' ? 'Un candidato è senza notizie da troppo tempo' : 'Una data di decisione promessa è passata',
    summary: `Un aggiornamento con una nuova data attende la sua conferma.${f.due ? ` Nuova data: ${f.due}.` : ''}`,
  }),
  offer_declined: (f) => ({ title: 'L’offerta è stata rifiutata o ritirata', summary: `${n(f)} rifiuto/i trattenuti sono stati annullati prima dell’invio: scelga di nuovo.` }),
  postmark_refused: (f) => ({
    title: 'Postmark si rifiuta di inviare per l’organizzazione',
    summary: `I messaggi non partono finché la configurazione di Postmark non viene corretta (${f.condition ?? 'refused'}).`,
  }),
  ats_unreachable: (f) => ({
    title: `Hearback ha smesso per un po’ di chiamare ${atsName(f)}`,
    summary: 'L’API ha fallito ripetutamente; gli aggiornamenti attendono e vengono ritentati da soli. La connessione mostra l’ultimo errore.',
  }),
  ats_writeback_failed: (f) => ({
    title: `${n(f)} aggiornamento/i di ${atsName(f)} falliti`,
    summary: `${atsName(f)} mostra ancora lo stato precedente (un rifiuto, una nota o una cancellazione non fatti). L’attività della connessione ne indica il motivo; lo corregga e faccia a mano in ${atsName(f)} ciò che manca.`,
  }),
  ats_setup_failed: (f) => ({
    title: f.code === 'webhooks' ? `Hearback non è riuscito a registrare i suoi webhook in ${atsName(f)}` : `L’importazione da ${atsName(f)} è fallita`,
    summary:
      f.code === 'webhooks'
        ? 'Gli eventi dell’ATS potrebbero non arrivare. La connessione ne indica il motivo; lo corregga e salvi di nuovo le credenziali.'
        : 'La connessione ne indica il motivo; lo corregga e avvii di nuovo l’importazione.',
  }),
};

const nl: Lines = {
  question_waiting: () => ({ title: 'Een kandidaat heeft een vraag gesteld', summary: 'Die wacht op een antwoord; de kandidaat krijgt een e-mail zodra je antwoordt.' }),
  data_request: (f) => ({
    title: `Een kandidaat vraagt om ${f.kind === 'deletion' ? 'verwijdering' : 'een export'} van de eigen gegevens`,
    summary: `Er geldt een wettelijke termijn.${f.due ? ` Uiterlijk ${f.due}.` : ''}`,
  }),
  data_request_due: (f) => ({ title: 'Een gegevensverzoek verloopt binnenkort', summary: `Het staat nog open.${f.due ? ` Uiterlijk ${f.due}.` : ''}` }),
  message_held: (f) => ({
    title: 'Een bericht is tegengehouden voordat het wegging',
    summary: `Een controle hield het tegen (${f.code ?? 'held'}): bewerk het, probeer het opnieuw of annuleer het.`,
  }),
  message_failed: (f) => ({
    title: 'Een bericht kon niet worden bezorgd',
    summary: `De verzending is mislukt (${f.code ?? 'failed'}); de kandidaat heeft waarschijnlijk niets ontvangen.`,
  }),
  plan_waiting: (f) => ({
    title: 'Een besluit uit je ATS wacht op bevestiging',
    summary: `${n(f)} item(s) te bevestigen voordat het plan verloopt.${f.due ? ` Verloopt op ${f.due}.` : ''}`,
  }),
  plan_expiring: (f) => ({
    title: 'Een plan uit je ATS verloopt binnenkort',
    summary: `Bevestig het, anders verloopt het en wordt er niets verstuurd.${f.due ? ` Verloopt op ${f.due}.` : ''}`,
  }),
  approval_waiting: (f) => ({ title: `${n(f)} bericht(en) wachten op een tweede goedkeuring`, summary: 'Wie ze schreef of bevestigde, mag ze niet goedkeuren: het is aan jou.' }),
  offer_hold_long: (f) => ({
    title: 'Finalisten wachten al een week op het antwoord op het aanbod',
    summary: `${n(f)} afwijzing(en) worden vastgehouden tot de gekozen kandidaat het aanbod aanneemt of afslaat: leg het antwoord vast of stuur hun een eerlijke update.`,
  }),
  promise_due_soon: (f) => ({
    title: `${n(f)} toegezegde beslissing(en) vervallen binnen een dag`,
    summary: `Stuur de beslissing of een eerlijke update voordat de datum verstrijkt.${f.due ? ` Uiterlijk ${f.due}.` : ''}`,
  }),
  endpoint_disabled: () => ({ title: 'Een webhook-endpoint is uitgeschakeld', summary: 'Het ontvangt geen gebeurtenissen meer; herstel het zodra het weer antwoordt.' }),
  promise_passed: (f) => ({
    title: f.code === 'silence' ? 'Een kandidaat heeft te lang niets gehoord' : 'Een toegezegde beslisdatum is verstreken',
    summary: `Een update met een nieuwe datum wacht op je bevestiging.${f.due ? ` Nieuwe datum: ${f.due}.` : ''}`,
  }),
  offer_declined: (f) => ({ title: 'Het aanbod is afgeslagen of ingetrokken', summary: `${n(f)} vastgehouden afwijzing(en) zijn geannuleerd voordat ze weggingen: kies opnieuw.` }),
  postmark_refused: (f) => ({
    title: 'Postmark weigert te verzenden voor de organisatie',
    summary: `Berichten mislukken tot de Postmark-instelling is hersteld (${f.condition ?? 'refused'}).`,
  }),
  ats_unreachable: (f) => ({
    title: `Hearback roept ${atsName(f)} een tijdje niet meer aan`,
    summary: 'De API faalde keer op keer; terugkoppelingen wachten en worden vanzelf opnieuw geprobeerd. De koppeling toont de laatste fout.',
  }),
  ats_writeback_failed: (f) => ({
    title: `${n(f)} terugkoppeling(en) naar ${atsName(f)} mislukt`,
    summary: `${atsName(f)} toont nog de oude stand (een afwijzing, notitie of wissing niet gedaan). De activiteit van de koppeling zegt waarom; los het op en doe met de hand in ${atsName(f)} wat ontbreekt.`,
  }),
  ats_setup_failed: (f) => ({
    title: f.code === 'webhooks' ? `Hearback kon zijn webhooks niet registreren in ${atsName(f)}` : `De import uit ${atsName(f)} is mislukt`,
    summary:
      f.code === 'webhooks'
        ? 'Gebeurtenissen uit het ATS komen mogelijk niet aan. De koppeling zegt waarom; los het op en sla de inloggegevens opnieuw op.'
        : 'De koppeling zegt waarom; los het op en start de import opnieuw.',
  }),
};

const catalogues: Record<Language, Lines> = { en, fr, de, es, pt, it, nl };

/** A date and time as the reader reads them, in their time zone. */
export function localDateTime(date: Date, language: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date);
  }
}

export function describeNotification(
  row: { type: string; detail: NotificationDetail; dueAt: Date | null },
  reader: { language: string; timeZone: string },
): { title: string; summary: string } {
  const lines = catalogues[catalogueLanguage(reader.language)];
  const line = (lines as Record<string, Lines[NotificationType] | undefined>)[row.type] ?? (() => ({ title: row.type, summary: '' }));
  return line({ ...row.detail, due: row.dueAt ? localDateTime(row.dueAt, reader.language, reader.timeZone) : null });
}

/** The words of the emails around the notifications. */
const emailWords: Record<Language, { open: string; digestSubject: (count: number) => string; digestIntro: string; footer: string }> = {
  en: {
    open: 'Open',
    digestSubject: (c) => `Hearback: ${c} thing(s) need you`,
    digestIntro: 'Since your last digest:',
    footer: 'Change how often you get these in your notification preferences.',
  },
  fr: {
    open: 'Ouvrir',
    digestSubject: (c) => `Hearback : ${c} élément(s) vous attendent`,
    digestIntro: 'Depuis votre dernier récapitulatif :',
    footer: 'Réglez la fréquence de ces e-mails dans vos préférences de notification.',
  },
  de: {
    open: 'Öffnen',
    digestSubject: (c) => `Hearback: ${c} Punkt(e) warten auf Sie`,
    digestIntro: 'Seit Ihrer letzten Zusammenfassung:',
    footer: 'Wie oft Sie diese E-Mails erhalten, stellen Sie in Ihren Benachrichtigungseinstellungen ein.',
  },
  es: {
    open: 'Abrir',
    digestSubject: (c) => `Hearback: ${c} asunto(s) te esperan`,
    digestIntro: 'Desde tu último resumen:',
    footer: 'Cambia la frecuencia de estos correos en tus preferencias de notificación.',
  },
  pt: {
    open: 'Abrir',
    digestSubject: (c) => `Hearback: ${c} item(ns) aguardam você`,
    digestIntro: 'Desde o seu último resumo:',
    footer: 'Mude a frequência destes e-mails nas suas preferências de notificação.',
  },
  it: {
    open: 'Aprire',
    digestSubject: (c) => `Hearback: ${c} elemento/i la attendono`,
    digestIntro: 'Dal suo ultimo riepilogo:',
    footer: 'Può cambiare la frequenza di queste email nelle sue preferenze di notifica.',
  },
  nl: {
    open: 'Openen',
    digestSubject: (c) => `Hearback: ${c} item(s) wachten op je`,
    digestIntro: 'Sinds je vorige overzicht:',
    footer: 'Pas in je meldingsvoorkeuren aan hoe vaak je deze e-mails krijgt.',
  },
};

export const emailWordsFor = (language: string) => emailWords[catalogueLanguage(language)];
