// What each finding tells the recruiter, in the candidate's language (the recruiter writing to a
// French candidate is probably writing in French). Messages name the problem and the way out;
// the excerpt is quoted so a message still makes sense when read away from the highlight.
import { lintLanguages, type FindingCode, type LintLanguage } from './lint.schemas.js';

// Each takes the excerpt it quotes; language_mismatch takes the name of the feedback's language.
type Messages = Readonly<Record<FindingCode, (excerpt: string) => string>>;

const en: Messages = {
  protected_age: (x) => `“${x}” refers to age or a common proxy for it. Feedback must not rest on age: describe the skills or evidence instead.`,
  protected_gender: (x) => `“${x}” refers to gender. Feedback must not rest on gender: describe the skills or evidence instead.`,
  protected_pregnancy_family: (x) => `“${x}” refers to pregnancy, parenthood or family plans, which must play no part in a hiring decision.`,
  protected_race_ethnicity: (x) => `“${x}” refers to race, colour or ethnic origin, which must play no part in a hiring decision.`,
  protected_religion: (x) => `“${x}” refers to religion or belief, which must play no part in a hiring decision.`,
  protected_disability_health: (x) => `“${x}” refers to disability or health, which must play no part in a hiring decision.`,
  protected_nationality_accent: (x) => `“${x}” refers to nationality, origin or accent. If language matters for the role, describe the required proficiency instead.`,
  protected_marital_status: (x) => `“${x}” refers to marital or relationship status, which must play no part in a hiring decision.`,
  protected_sexual_orientation: (x) => `“${x}” refers to sexual orientation, which must play no part in a hiring decision.`,
  work_authorization: (x) => `“${x}” concerns work authorisation: fine when it is a legal requirement of the role, but say so plainly and not as a judgement of the candidate.`,
  vague_phrase: (x) => `“${x}” gives the candidate nothing to act on. Say what was missing or what the other candidates showed.`,
  no_actionable_improvement: () => `The feedback names nothing the candidate could improve: add an area to improve or a comment on a lower-rated competency.`,
  language_mismatch: (x) => `The feedback seems to be written in ${x}, while the message around it is in English. Translate it, so the candidate reads one language.`,
};

const fr: Messages = {
  protected_age: (x) => `« ${x} » renvoie à l'âge ou à un critère qui le remplace. Le retour ne doit pas reposer sur l'âge : décrivez les compétences ou les faits observés.`,
  protected_gender: (x) => `« ${x} » renvoie au sexe ou au genre. Le retour ne doit pas en dépendre : décrivez les compétences ou les faits observés.`,
  protected_pregnancy_family: (x) => `« ${x} » renvoie à la grossesse, à la parentalité ou aux projets familiaux, qui ne doivent jouer aucun rôle dans la décision.`,
  protected_race_ethnicity: (x) => `« ${x} » renvoie à l'origine, à la couleur de peau ou à l'ethnie, qui ne doivent jouer aucun rôle dans la décision.`,
  protected_religion: (x) => `« ${x} » renvoie à la religion ou aux convictions, qui ne doivent jouer aucun rôle dans la décision.`,
  protected_disability_health: (x) => `« ${x} » renvoie au handicap ou à l'état de santé, qui ne doivent jouer aucun rôle dans la décision.`,
  protected_nationality_accent: (x) => `« ${x} » renvoie à la nationalité, à l'origine ou à l'accent. Si la langue compte pour le poste, décrivez le niveau requis.`,
  protected_marital_status: (x) => `« ${x} » renvoie à la situation de famille ou de couple, qui ne doit jouer aucun rôle dans la décision.`,
  protected_sexual_orientation: (x) => `« ${x} » renvoie à l'orientation sexuelle, qui ne doit jouer aucun rôle dans la décision.`,
  work_authorization: (x) => `« ${x} » concerne l'autorisation de travail : acceptable si c'est une exigence légale du poste, à formuler comme telle.`,
  vague_phrase: (x) => `« ${x} » ne donne au candidat aucune piste. Précisez ce qui manquait ou ce que les autres candidats ont montré.`,
  no_actionable_improvement: () => `Le retour ne mentionne aucun axe d'amélioration : ajoutez-en un, ou commentez une compétence moins bien notée.`,
  language_mismatch: (x) => `Le retour semble rédigé en ${x}, alors que le message est en français. Traduisez-le, pour que la personne lise une seule langue.`,
};

const de: Messages = {
  protected_age: (x) =>
    `„${x}“ bezieht sich auf das Alter oder einen typischen Ersatz dafür. Das Feedback darf nicht auf dem Alter beruhen: beschreiben Sie Fähigkeiten oder Belege.`,
  protected_gender: (x) => `„${x}“ bezieht sich auf das Geschlecht. Das Feedback darf nicht darauf beruhen: beschreiben Sie Fähigkeiten oder Belege.`,
  protected_pregnancy_family: (x) => `„${x}“ bezieht sich auf Schwangerschaft, Elternschaft oder Familienplanung; sie dürfen bei der Entscheidung keine Rolle spielen.`,
  protected_race_ethnicity: (x) => `„${x}“ bezieht sich auf ethnische Herkunft oder Hautfarbe; sie dürfen bei der Entscheidung keine Rolle spielen.`,
  protected_religion: (x) => `„${x}“ bezieht sich auf Religion oder Weltanschauung; sie dürfen bei der Entscheidung keine Rolle spielen.`,
  protected_disability_health: (x) => `„${x}“ bezieht sich auf Behinderung oder Gesundheit; sie dürfen bei der Entscheidung keine Rolle spielen.`,
  protected_nationality_accent: (x) => `„${x}“ bezieht sich auf Nationalität, Herkunft oder Akzent. Wenn Sprache für die Stelle zählt, beschreiben Sie das nötige Niveau.`,
  protected_marital_status: (x) => `„${x}“ bezieht sich auf Familienstand oder Partnerschaft; sie dürfen bei der Entscheidung keine Rolle spielen.`,
  protected_sexual_orientation: (x) => `„${x}“ bezieht sich auf die sexuelle Orientierung; sie darf bei der Entscheidung keine Rolle spielen.`,
  work_authorization: (x) => `„${x}“ betrifft die Arbeitserlaubnis: zulässig, wenn sie gesetzlich nötig ist, dann aber sachlich als solche benannt.`,
  vague_phrase: (x) => `„${x}“ gibt der Person nichts an die Hand. Sagen Sie, was gefehlt hat oder was andere Bewerbungen gezeigt haben.`,
  no_actionable_improvement: () =>
    `Das Feedback nennt nichts, was die Person verbessern könnte: ergänzen Sie einen Punkt oder kommentieren Sie eine schwächer bewertete Kompetenz.`,
  language_mismatch: (x) => `Das Feedback scheint auf ${x} verfasst, die Nachricht ist aber auf Deutsch. Übersetzen Sie es, damit die Person nur eine Sprache liest.`,
};

const es: Messages = {
  protected_age: (x) => `«${x}» alude a la edad o a un sustituto habitual de ella. El feedback no puede basarse en la edad: describa habilidades o hechos.`,
  protected_gender: (x) => `«${x}» alude al sexo o al género. El feedback no puede basarse en ello: describa habilidades o hechos.`,
  protected_pregnancy_family: (x) => `«${x}» alude al embarazo, la maternidad o paternidad o los planes familiares, que no deben influir en la decisión.`,
  protected_race_ethnicity: (x) => `«${x}» alude al origen étnico o al color de piel, que no deben influir en la decisión.`,
  protected_religion: (x) => `«${x}» alude a la religión o las creencias, que no deben influir en la decisión.`,
  protected_disability_health: (x) => `«${x}» alude a la discapacidad o la salud, que no deben influir en la decisión.`,
  protected_nationality_accent: (x) => `«${x}» alude a la nacionalidad, el origen o el acento. Si el idioma importa para el puesto, describa el nivel requerido.`,
  protected_marital_status: (x) => `«${x}» alude al estado civil o de pareja, que no debe influir en la decisión.`,
  protected_sexual_orientation: (x) => `«${x}» alude a la orientación sexual, que no debe influir en la decisión.`,
  work_authorization: (x) => `«${x}» se refiere al permiso de trabajo: aceptable si es un requisito legal del puesto, expresado como tal.`,
  vague_phrase: (x) => `«${x}» no le da al candidato nada concreto. Explique qué faltó o qué mostraron los otros candidatos.`,
  no_actionable_improvement: () => `El feedback no menciona nada que mejorar: añada un área de mejora o comente una competencia con menor puntuación.`,
  language_mismatch: (x) => `El feedback parece escrito en ${x}, pero el mensaje está en español. Tradúzcalo para que la persona lea un solo idioma.`,
};

const pt: Messages = {
  protected_age: (x) => `“${x}” se refere à idade ou a algo que a substitui. O feedback não pode se basear na idade: descreva habilidades ou fatos.`,
  protected_gender: (x) => `“${x}” se refere ao sexo ou ao gênero. O feedback não pode se basear nisso: descreva habilidades ou fatos.`,
  protected_pregnancy_family: (x) => `“${x}” se refere a gravidez, maternidade ou paternidade ou a planos familiares, que não devem influenciar a decisão.`,
  protected_race_ethnicity: (x) => `“${x}” se refere à origem étnica ou à cor da pele, que não devem influenciar a decisão.`,
  protected_religion: (x) => `“${x}” se refere à religião ou a crenças, que não devem influenciar a decisão.`,
  protected_disability_health: (x) => `“${x}” se refere a deficiência ou a saúde, que não devem influenciar a decisão.`,
  protected_nationality_accent: (x) => `“${x}” se refere à nacionalidade, à origem ou ao sotaque. Se o idioma importa para a vaga, descreva o nível exigido.`,
  protected_marital_status: (x) => `“${x}” se refere ao estado civil ou à vida a dois, que não devem influenciar a decisão.`,
  protected_sexual_orientation: (x) => `“${x}” se refere à orientação sexual, que não deve influenciar a decisão.`,
  work_authorization: (x) => `“${x}” trata da autorização de trabalho: aceitável quando é uma exigência legal da vaga, dita como tal.`,
  vague_phrase: (x) => `“${x}” não dá à pessoa nada de concreto. Explique o que faltou ou o que os outros candidatos mostraram.`,
  no_actionable_improvement: () => `O feedback não menciona nada a desenvolver: acrescente um ponto a melhorar ou comente uma competência com nota mais baixa.`,
  language_mismatch: (x) => `O feedback parece escrito em ${x}, mas a mensagem está em português. Traduza-o para que a pessoa leia um só idioma.`,
};

const it: Messages = {
  protected_age: (x) => `«${x}» fa riferimento all’età o a qualcosa che la sostituisce. Il feedback non può basarsi sull’età: descriva competenze o fatti.`,
  protected_gender: (x) => `«${x}» fa riferimento al sesso o al genere. Il feedback non può basarsi su questo: descriva competenze o fatti.`,
  protected_pregnancy_family: (x) => `«${x}» fa riferimento a gravidanza, genitorialità o progetti familiari, che non devono influire sulla decisione.`,
  protected_race_ethnicity: (x) => `«${x}» fa riferimento all’origine etnica o al colore della pelle, che non devono influire sulla decisione.`,
  protected_religion: (x) => `«${x}» fa riferimento alla religione o alle convinzioni personali, che non devono influire sulla decisione.`,
  protected_disability_health: (x) => `«${x}» fa riferimento a disabilità o salute, che non devono influire sulla decisione.`,
  protected_nationality_accent: (x) => `«${x}» fa riferimento a nazionalità, origine o accento. Se la lingua conta per il ruolo, descriva il livello richiesto.`,
  protected_marital_status: (x) => `«${x}» fa riferimento allo stato civile o alla vita di coppia, che non devono influire sulla decisione.`,
  protected_sexual_orientation: (x) => `«${x}» fa riferimento all’orientamento sessuale, che non deve influire sulla decisione.`,
  work_authorization: (x) => `«${x}» riguarda il permesso di lavoro: accettabile se è un requisito di legge del ruolo, indicato come tale.`,
  vague_phrase: (x) => `«${x}» non dà alla persona nulla di concreto. Spieghi che cosa mancava o che cosa hanno mostrato gli altri candidati.`,
  no_actionable_improvement: () => `Il feedback non indica nulla da migliorare: aggiunga un aspetto su cui crescere o commenti una competenza con un punteggio più basso.`,
  language_mismatch: (x) => `Il feedback sembra scritto in ${x}, ma il messaggio è in italiano. Lo traduca, così la persona legge una sola lingua.`,
};

const nl: Messages = {
  protected_age: (x) => `‘${x}’ verwijst naar leeftijd of iets wat daarvoor in de plaats komt. Feedback mag niet op leeftijd berusten: beschrijf vaardigheden of feiten.`,
  protected_gender: (x) => `‘${x}’ verwijst naar geslacht of gender. Feedback mag daar niet op berusten: beschrijf vaardigheden of feiten.`,
  protected_pregnancy_family: (x) => `‘${x}’ verwijst naar zwangerschap, ouderschap of gezinsplannen, die bij het besluit geen rol mogen spelen.`,
  protected_race_ethnicity: (x) => `‘${x}’ verwijst naar etnische afkomst of huidskleur, die bij het besluit geen rol mogen spelen.`,
  protected_religion: (x) => `‘${x}’ verwijst naar religie of levensovertuiging, die bij het besluit geen rol mogen spelen.`,
  protected_disability_health: (x) => `‘${x}’ verwijst naar een beperking of gezondheid, die bij het besluit geen rol mogen spelen.`,
  protected_nationality_accent: (x) => `‘${x}’ verwijst naar nationaliteit, afkomst of accent. Telt taal voor de functie, beschrijf dan het vereiste niveau.`,
  protected_marital_status: (x) => `‘${x}’ verwijst naar burgerlijke staat of relatie, die bij het besluit geen rol mogen spelen.`,
  protected_sexual_orientation: (x) => `‘${x}’ verwijst naar seksuele geaardheid, die bij het besluit geen rol mag spelen.`,
  work_authorization: (x) => `‘${x}’ gaat over een werkvergunning: toegestaan als die wettelijk vereist is voor de functie, maar benoem het dan ook zo.`,
  vague_phrase: (x) => `‘${x}’ geeft de kandidaat niets om mee verder te gaan. Zeg wat er ontbrak of wat andere kandidaten lieten zien.`,
  no_actionable_improvement: () => `De feedback noemt niets wat de kandidaat kan verbeteren: voeg een verbeterpunt toe of licht een lager beoordeelde competentie toe.`,
  language_mismatch: (x) => `De feedback lijkt in het ${x} geschreven, maar het bericht is in het Nederlands. Vertaal hem, zodat de kandidaat één taal leest.`,
};

const byLanguage: Readonly<Record<LintLanguage, Messages>> = { en, fr, de, es, pt, it, nl };

/** `fr-CA` → `fr`; anything the lint has no messages for → `en`. */
export function messageLanguage(locale: string): LintLanguage {
  const primary = locale.trim().toLowerCase().split(/[-_]/)[0];
  return lintLanguages.find((language) => language === primary) ?? 'en';
}

const QUOTE_LIMIT = 80;

export function messageFor(code: FindingCode, excerpt: string, language: LintLanguage): string {
  // Spans are short in practice, but a '*' term can swallow a very long "word"; messages stay bounded.
  const chars = Array.from(excerpt);
  const quoted = chars.length > QUOTE_LIMIT ? `${chars.slice(0, QUOTE_LIMIT - 1).join('')}…` : excerpt;
  return byLanguage[language][code](quoted);
}
