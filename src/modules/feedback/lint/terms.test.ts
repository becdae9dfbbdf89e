// The term lists, as a specification: true positives per language and characteristic, graded
// proxies, vague phrases, and the false positives that made us put a word in context.
import { describe, expect, it } from 'vitest';
import { lintText, type Finding } from './lint.js';

const lint = (text: string, locale = 'en') => lintText(text, { locale });
const brief = (findings: Finding[]) => findings.map((f) => `${f.severity}:${f.code}:${f.excerpt}`);

/** [text, code, excerpt] — a block finding on exactly that excerpt (case as written). */
type Positive = [string, string, string];

function expectOnly(text: string, code: string, excerpt: string, severity = 'block') {
  const findings = lint(text);
  expect(brief(findings), text).toContain(`${severity}:${code}:${excerpt}`);
  const finding = findings.find((f) => f.excerpt === excerpt);
  expect(text.slice(finding?.start, finding?.end)).toBe(excerpt);
}

const english: Positive[] = [
  ['You are overqualified for this role.', 'protected_age', 'overqualified'],
  ['We want someone young and dynamic.', 'protected_age', 'young and dynamic'],
  ['Ideally a digital native.', 'protected_age', 'digital native'],
  ['Honestly you seemed too senior for the team.', 'protected_age', 'too senior'],
  ['We are looking for a recent graduate.', 'protected_age', 'looking for a recent graduate'],
  ['We need an energetic young engineer.', 'protected_age', 'energetic young'],
  ['The candidate is 52 years of age.', 'protected_age', '52 years of age'],
  ['He is near retirement.', 'protected_age', 'near retirement'],
  ['An older candidate may struggle.', 'protected_age', 'older candidate'],
  ['A mature candidate.', 'protected_age', 'mature candidate'],
  ['A 45-year-old candidate.', 'protected_age', '45-year-old candidate'],
  ['Probably in her mid-forties.', 'protected_age', 'in her mid-forties'],
  ['A man would fit better here.', 'protected_gender', 'A man would fit'],
  ['Quite aggressive for a woman.', 'protected_gender', 'for a woman'],
  ['The girl at the front desk liked you.', 'protected_gender', 'girl'],
  ['She is pregnant.', 'protected_pregnancy_family', 'pregnant'],
  ['Planning maternity leave soon.', 'protected_pregnancy_family', 'maternity'],
  ['She mentioned planning a family.', 'protected_pregnancy_family', 'planning a family'],
  ['She has kids at home.', 'protected_pregnancy_family', 'has kids'],
  ['Her kids are young.', 'protected_pregnancy_family', 'kids'],
  ['Childcare could be a problem.', 'protected_pregnancy_family', 'Childcare'],
  ['Family commitments on Fridays.', 'protected_pregnancy_family', 'Family commitments'],
  ['Comments on skin colour have no place here.', 'protected_race_ethnicity', 'skin colour'],
  ['A Black candidate applied.', 'protected_race_ethnicity', 'Black candidate'],
  ['Her ethnicity is irrelevant.', 'protected_race_ethnicity', 'ethnicity'],
  ['He needs prayer breaks.', 'protected_religion', 'prayer'],
  ['She wears a hijab.', 'protected_religion', 'hijab'],
  ['Her headscarf.', 'protected_religion', 'headscarf'],
  ['Goes to church on Sundays.', 'protected_religion', 'church'],
  ['Availability during Ramadan.', 'protected_religion', 'Ramadan'],
  ['He is disabled.', 'protected_disability_health', 'is disabled'],
  ['Uses a wheelchair.', 'protected_disability_health', 'wheelchair'],
  ['Took a lot of sick leave.', 'protected_disability_health', 'sick leave'],
  ['Mental health concerns.', 'protected_disability_health', 'Mental health'],
  ['History of depression.', 'protected_disability_health', 'depression'],
  ['After a long illness.', 'protected_disability_health', 'illness'],
  ['A strong accent.', 'protected_nationality_accent', 'accent'],
  ['You must be a native speaker.', 'protected_nationality_accent', 'must be a native speaker'],
  ['As a foreigner you may struggle.', 'protected_nationality_accent', 'foreigner'],
  ['Her nationality.', 'protected_nationality_accent', 'nationality'],
  ['Is he married?', 'protected_marital_status', 'married'],
  ['Recently divorced.', 'protected_marital_status', 'divorced'],
  ['His wife works here.', 'protected_marital_status', 'wife'],
  ['He is gay.', 'protected_sexual_orientation', 'gay'],
  ['Sexual orientation.', 'protected_sexual_orientation', 'Sexual orientation'],
];

const french: Positive[] = [
  ['Profil surqualifiée pour le poste.', 'protected_age', 'surqualifiée'],
  // Two overlapping age findings; the comparison with a person ("quelqu'un de jeune") is kept.
  ['Nous cherchons quelqu’un de jeune et dynamique.', 'protected_age', 'quelqu’un de jeune'],
  ['Nous cherchons un profil jeune et dynamique.', 'protected_age', 'jeune et dynamique'],
  ['Il est trop âgé.', 'protected_age', 'Il est trop âgé'],
  ['Des collaborateurs plus âgés.', 'protected_age', 'collaborateurs plus âgés'],
  ['Une candidate de 45 ans.', 'protected_age', 'candidate de 45 ans'],
  ['Une jeune diplômée.', 'protected_age', 'jeune diplômée'],
  ['Pour une femme, elle est directe.', 'protected_gender', 'Pour une femme'],
  ['Elle est enceinte.', 'protected_pregnancy_family', 'enceinte'],
  ['Un congé maternité en vue.', 'protected_pregnancy_family', 'maternité'],
  ['Ses enfants sont petits.', 'protected_pregnancy_family', 'enfants'],
  ['Un candidat d’origine maghrébine.', 'protected_nationality_accent', 'd’origine maghrébine'],
  ['La couleur de peau.', 'protected_race_ethnicity', 'couleur de peau'],
  ['Elle porte le voile.', 'protected_religion', 'porte le voile'],
  ['En situation de handicap.', 'protected_disability_health', 'handicap'],
  ['Un arrêt maladie récent.', 'protected_disability_health', 'arrêt maladie'],
  ['Un fort accent.', 'protected_nationality_accent', 'accent'],
  ['Langue maternelle exigée.', 'protected_nationality_accent', 'Langue maternelle exigée'],
  ['Elle est mariée.', 'protected_marital_status', 'est mariée'],
  ['Célibataire.', 'protected_marital_status', 'Célibataire'],
  ['Il est homosexuel.', 'protected_sexual_orientation', 'homosexuel'],
];

const german: Positive[] = [
  ['Leider überqualifiziert.', 'protected_age', 'überqualifiziert'],
  ['Wir suchen jemanden jung und dynamisch.', 'protected_age', 'jung und dynamisch'],
  ['Ein junges Team.', 'protected_age', 'junges Team'],
  ['Eine 55-jährige Bewerberin.', 'protected_age', '55-jährige Bewerberin'],
  ['Kurz vor der Rente.', 'protected_age', 'Kurz vor der Rente'],
  ['Eine Frau wäre besser.', 'protected_gender', 'Eine Frau'],
  ['Schwangerschaft', 'protected_pregnancy_family', 'Schwangerschaft'],
  ['Sie plant Elternzeit.', 'protected_pregnancy_family', 'Elternzeit'],
  ['Kinderwunsch erwähnt.', 'protected_pregnancy_family', 'Kinderwunsch'],
  ['Die Hautfarbe.', 'protected_race_ethnicity', 'Hautfarbe'],
  ['Sie trägt ein Kopftuch.', 'protected_religion', 'Kopftuch'],
  ['Braucht Gebetspausen.', 'protected_religion', 'Gebetspausen'],
  ['Er ist schwerbehindert.', 'protected_disability_health', 'schwerbehindert'],
  ['Im Rollstuhl.', 'protected_disability_health', 'Rollstuhl'],
  ['Wegen Krankheit.', 'protected_disability_health', 'Krankheit'],
  ['Ein starker Akzent.', 'protected_nationality_accent', 'Akzent'],
  ['Deutsch als Muttersprache.', 'protected_nationality_accent', 'Deutsch als Muttersprache'],
  ['Ausländer.', 'protected_nationality_accent', 'Ausländer'],
  ['Sie ist verheiratet.', 'protected_marital_status', 'verheiratet'],
  ['Er ist schwul.', 'protected_sexual_orientation', 'schwul'],
];

const spanish: Positive[] = [
  ['Está sobrecualificada.', 'protected_age', 'sobrecualificada'],
  ['Buscamos alguien joven y dinámico.', 'protected_age', 'alguien joven'],
  ['Buscamos una persona proactiva, joven y dinámica.', 'protected_age', 'joven y dinámica'],
  ['Tiene 55 años.', 'protected_age', 'Tiene 55 años'],
  ['Está cerca de la jubilación.', 'protected_age', 'cerca de la jubilación'],
  ['Para una mujer es muy directa.', 'protected_gender', 'Para una mujer'],
  ['Está embarazada.', 'protected_pregnancy_family', 'embarazada'],
  ['Pidió la baja por maternidad.', 'protected_pregnancy_family', 'maternidad'],
  ['Tiene tres hijos.', 'protected_pregnancy_family', 'hijos'],
  ['Por su raza.', 'protected_race_ethnicity', 'raza'],
  ['Es gitano.', 'protected_race_ethnicity', 'gitano'],
  ['Lleva velo.', 'protected_religion', 'Lleva velo'],
  ['Es musulmana.', 'protected_religion', 'musulmana'],
  ['Tiene una discapacidad.', 'protected_disability_health', 'discapacidad'],
  ['Usa silla de ruedas.', 'protected_disability_health', 'silla de ruedas'],
  ['Demasiadas bajas médicas.', 'protected_disability_health', 'bajas médicas'],
  ['Tiene acento extranjero.', 'protected_nationality_accent', 'acento'],
  ['Hablante nativo imprescindible.', 'protected_nationality_accent', 'Hablante nativo imprescindible'],
  ['Está casada.', 'protected_marital_status', 'casada'],
  ['Su orientación sexual.', 'protected_sexual_orientation', 'orientación sexual'],
];

const portuguese: Positive[] = [
  ['Perfil sobrequalificado para a vaga.', 'protected_age', 'sobrequalificado'],
  ['Buscamos alguém jovem e dinâmico.', 'protected_age', 'alguém jovem'],
  ['Jovem e dinâmica, com muita energia.', 'protected_age', 'Jovem e dinâmica'],
  ['Uma candidata de 45 anos.', 'protected_age', 'candidata de 45 anos'],
  ['Ele tem 52 anos.', 'protected_age', 'tem 52 anos'],
  ['Está perto da aposentadoria.', 'protected_age', 'perto da aposentadoria'],
  ['Como uma mulher, foi muito direta.', 'protected_gender', 'Como uma mulher'],
  ['Ela está grávida.', 'protected_pregnancy_family', 'grávida'],
  ['Tem filhos pequenos em casa.', 'protected_pregnancy_family', 'Tem filhos'],
  ['Vai tirar licença-maternidade.', 'protected_pregnancy_family', 'licença-maternidade'],
  ['Comentários sobre a cor da pele não cabem aqui.', 'protected_race_ethnicity', 'cor da pele'],
  ['Um candidato negro se candidatou.', 'protected_race_ethnicity', 'candidato negro'],
  ['Precisa de pausas para oração.', 'protected_religion', 'pausas para oração'],
  ['Ela usa véu.', 'protected_religion', 'usa véu'],
  ['Vai à igreja aos domingos.', 'protected_religion', 'igreja'],
  ['Usa cadeira de rodas.', 'protected_disability_health', 'cadeira de rodas'],
  ['Teve muitas licenças médicas.', 'protected_disability_health', 'licenças médicas'],
  ['Histórico de depressão.', 'protected_disability_health', 'depressão'],
  ['Um sotaque forte.', 'protected_nationality_accent', 'sotaque'],
  ['Um candidato de origem africana.', 'protected_nationality_accent', 'de origem africana'],
  ['A nacionalidade dela.', 'protected_nationality_accent', 'nacionalidade'],
  ['Ele é casado?', 'protected_marital_status', 'casado'],
  ['A esposa dele trabalha aqui.', 'protected_marital_status', 'esposa'],
  ['A orientação sexual dele.', 'protected_sexual_orientation', 'orientação sexual'],
];

const italian: Positive[] = [
  ['Profilo sovraqualificato per il ruolo.', 'protected_age', 'sovraqualificato'],
  ['Troppo giovane e dinamica, forse.', 'protected_age', 'Troppo giovane'],
  ['Un candidato di 52 anni.', 'protected_age', 'candidato di 52 anni'],
  ['Ormai è vicino alla pensione.', 'protected_age', 'vicino alla pensione'],
  ['Come donna è stata molto diretta.', 'protected_gender', 'donna'],
  ['È incinta.', 'protected_pregnancy_family', 'incinta'],
  ['Ha due figli piccoli.', 'protected_pregnancy_family', 'figli'],
  ['Il colore della pelle non conta.', 'protected_race_ethnicity', 'colore della pelle'],
  ['Una persona di colore si è candidata.', 'protected_race_ethnicity', 'persona di colore'],
  ['Porta il velo.', 'protected_religion', 'Porta il velo'],
  ['Chiede pause per la preghiera.', 'protected_religion', 'pause per la preghiera'],
  ['Usa una sedia a rotelle.', 'protected_disability_health', 'sedia a rotelle'],
  ['Una lunga malattia.', 'protected_disability_health', 'malattia'],
  ['Ha un forte accento.', 'protected_nationality_accent', 'forte accento'],
  ['È straniero.', 'protected_nationality_accent', 'straniero'],
  ['È sposata?', 'protected_marital_status', 'sposata'],
  ['Sua moglie lavora qui.', 'protected_marital_status', 'moglie'],
  ['Il suo orientamento sessuale.', 'protected_sexual_orientation', 'orientamento sessuale'],
];

const dutch: Positive[] = [
  ['Overgekwalificeerd voor deze functie.', 'protected_age', 'Overgekwalificeerd'],
  ['We zoeken iemand jong en dynamisch.', 'protected_age', 'jong en dynamisch'],
  ['Een oudere kandidaat.', 'protected_age', 'oudere kandidaat'],
  ['Gezien zijn leeftijd.', 'protected_age', 'Gezien zijn leeftijd'],
  ['Voor een vrouw erg direct.', 'protected_gender', 'vrouw'],
  ['Ze is zwanger.', 'protected_pregnancy_family', 'zwanger'],
  ['Ze heeft drie kinderen.', 'protected_pregnancy_family', 'kinderen'],
  ['Opmerkingen over huidskleur horen hier niet.', 'protected_race_ethnicity', 'huidskleur'],
  ['Een Marokkaanse kandidaat.', 'protected_race_ethnicity', 'Marokkaanse kandidaat'],
  ['Ze draagt een hoofddoek.', 'protected_religion', 'hoofddoek'],
  ['Hij gaat elke zondag naar de kerk.', 'protected_religion', 'kerk'],
  ['Zit in een rolstoel.', 'protected_disability_health', 'rolstoel'],
  ['Veel ziekteverzuim.', 'protected_disability_health', 'ziekteverzuim'],
  ['Een zwaar accent.', 'protected_nationality_accent', 'zwaar accent'],
  ['Als buitenlander heb je het lastig.', 'protected_nationality_accent', 'buitenlander'],
  ['Is hij getrouwd?', 'protected_marital_status', 'getrouwd'],
  ['Haar echtgenoot werkt hier.', 'protected_marital_status', 'echtgenoot'],
  ['Zijn seksuele geaardheid.', 'protected_sexual_orientation', 'seksuele geaardheid'],
];

describe('protected characteristics', () => {
  it.each(english)('en: %s', (text, code, excerpt) => expectOnly(text, code, excerpt));
  it.each(french)('fr: %s', (text, code, excerpt) => expectOnly(text, code, excerpt));
  it.each(german)('de: %s', (text, code, excerpt) => expectOnly(text, code, excerpt));
  it.each(spanish)('es: %s', (text, code, excerpt) => expectOnly(text, code, excerpt));
  it.each(portuguese)('pt: %s', (text, code, excerpt) => expectOnly(text, code, excerpt));
  it.each(italian)('it: %s', (text, code, excerpt) => expectOnly(text, code, excerpt));
  it.each(dutch)('nl: %s', (text, code, excerpt) => expectOnly(text, code, excerpt));

  it('covers every protected characteristic in every language', () => {
    for (const cases of [english, french, german, spanish, portuguese, italian, dutch]) {
      const seen = new Set(cases.map(([, code]) => code));
      expect(seen.size, cases[0]?.[0]).toBe(9);
    }
  });

  it('lints every language whatever the locale', () => {
    expect(brief(lint('Elle est enceinte.', 'en'))).toEqual(['block:protected_pregnancy_family:enceinte']);
    expect(brief(lint('She is pregnant.', 'de'))).toEqual(['block:protected_pregnancy_family:pregnant']);
  });

  it('grades the softer proxies below block', () => {
    expectOnly('We lack the manpower to onboard juniors.', 'protected_gender', 'manpower', 'warn');
    expectOnly('Very mature approach to conflict.', 'protected_age', 'mature', 'info');
    expectOnly('You are a native speaker of Polish.', 'protected_nationality_accent', 'native speaker', 'warn');
    expectOnly('As a recent graduate you did well.', 'protected_age', 'recent graduate', 'info');
    expectOnly('The role needs a work permit.', 'work_authorization', 'work permit', 'info');
    expectOnly('No visa sponsorship available.', 'work_authorization', 'visa sponsorship', 'info');
    expectOnly('The service is 15 years old.', 'protected_age', '15 years old', 'warn');
  });
});

describe('false positives', () => {
  const clean = [
    'Strong stakeholder management; a good manager of people.',
    'The image and message on the landing page were clear; memory usage at this stage was average.',
    'Your engagement and leverage of existing tools impressed us.',
    'You interviewed for the Senior Engineer role. Senior Developer and junior role openings follow.',
    'The age of the codebase made this harder.',
    'You know Golang and Rust well.',
    'You explained black-box testing, blacklist and whitelist filtering well.',
    'A mature codebase with mature processes; the platform is mature.',
    'Experience with React Native and cloud-native architecture.',
    'We have a Christmas deadline and an Easter break.',
    'You found the race condition in the worker and the child process leak.',
    'Traverse the children of each node.',
    'You disabled the cache; the submit button stays disabled.',
    'A single-page app with a single source of truth, built single-handedly.',
    'The old system and the old codebase.',
    'Pick an accent colour for the buttons; la couleur d’accent.',
    'You considered users with disabilities in your design.',
    'Christian from our team will call you. Nina will follow up.',
    'Kind regards. This kind of problem alters the schema in a professional manner.',
    'Impairment testing under IFRS; you archived the ticket.',
    'Ce genre de problème ; nous avons mis l’accent sur les tests.',
    'Une expérience à l’étranger et les langues étrangères.',
    'Le processus enfant et une classe fille ; 3 jours-hommes.',
    'Marie vous recontactera.',
    'Sehr geehrte Frau Schmidt, sehr geehrte Damen und Herren.',
    'Senior Developer (m/w/d). Akzente setzen. Die Herkunft der Daten.',
    'Die Kinderkrankheiten der Software sind behoben.',
    'Mayor experiencia en el extranjero e idiomas extranjeros.',
    'El nodo hijo; poner el acento en la calidad; oraciones largas.',
    'Cristian te llamará. Cinco años de experiencia.',
    'Je viens au travail à vélo.',
    'O processo filho e a classe mãe; o nó pai da árvore.',
    'Faltam acentos no texto; deficiências nos testes foram corrigidas.',
    'Experiência no exterior e idiomas estrangeiros; o mercado estrangeiro.',
    'O bug foi visto em produção; a oração subordinada; confiança cega nos testes.',
    'Tem 5 anos de experiência com Go. A idade do código dificultou.',
    'Il processo figlio e il nodo padre; questo genere di problemi; mettere l’accento sulla qualità.',
    'Lo chiese al team. L’ho visto in produzione; ambienti separati; l’ETA del rilascio era chiara.',
    'Ha 5 anni di esperienza con Kubernetes; le lingue straniere e i mercati stranieri.',
    'Kind regards. Het moederbedrijf en het moederbord; technische beperkingen van het systeem.',
    'Ik geloof dat de code goed was; gescheiden omgevingen; het accent leggen op testen.',
    'Oude collega’s van je vorige werkgever spraken positief over je.',
    'You could go in a different direction with the layout.',
  ];
  it.each(clean)('%s', (text) => expect(brief(lint(text))).toEqual([]));
});

describe('vague phrases', () => {
  const vague: [string, string][] = [
    ['Simply not a culture fit.', 'not a culture fit'],
    ['Not the right fit for us.', 'Not the right fit'],
    ['In the end we went another way.', 'went another way'],
    ['Other candidates were stronger.', 'Other candidates were stronger'],
    ["It just didn't feel right.", "didn't feel right"],
    ['A lack of chemistry.', 'lack of chemistry'],
    ['Pas le bon profil.', 'Pas le bon profil'],
    ['Il ne correspond pas à notre culture.', 'ne correspond pas à notre culture'],
    ['Passt nicht ins Team.', 'Passt nicht ins Team'],
    ['Leider kein Kulturfit.', 'kein Kulturfit'],
    ['No encaja con la cultura.', 'No encaja con la cultura'],
    ['Otros candidatos eran más fuertes.', 'Otros candidatos eran más fuertes'],
  ];
  it.each(vague)('%s', (text, excerpt) => expectOnly(text, 'vague_phrase', excerpt, 'warn'));
});
