// French terms, written folded (no accents: "age" matches "âge", "agee" matches "âgée"); the
// pattern shorthands are in terms.ts. Adjectives carry their gender and number ("agee?s?").
//
// French traps: "genre" is mostly "kind" ("ce genre de problème"), "l'accent est mis sur" means
// "the emphasis is on", "à l'étranger" means "abroad", "langues étrangères" are foreign
// languages, "jour-homme" is a unit of effort, "classe fille"/"processus enfant" are code, and
// the folded "marie" is also the first name Marie: all of those only count in context.
import type { TermList } from './terms.js';

const PERSONNE =
  '(?:candidate?s?|personnes?|profils?|gens|hommes?|femmes?|recrues?|talents?|collaborat(?:eur|rice)s?|salariee?s?|employee?s?|ingenieure?s?|developpeu(?:r|se)s?|dames?|messieurs|monsieur|filles?|garcons?)';
const DEGRE = '(?:un peu |assez |tres |trop |encore |bien |plutot |beaucoup trop |deja )?';
const ORIGINE =
  '(?:etrangere?s?|africaine?s?|maghrebine?s?|arabes?|asiatiques?|turque?s?|roumaine?s?|polonaise?s?|chinoise?s?|indienne?s?|portugaise?s?|algerienne?s?|marocaine?s?|tunisienne?s?|senegalaise?s?|malienne?s?|camerounaise?s?|ivoirienne?s?|congolaise?s?|haitienne?s?|russes?|ukrainienne?s?|syrienne?s?|afghane?s?|immigree?s?|latino)';

export const fr: TermList = {
  language: 'fr',
  groups: [
    {
      code: 'protected_age',
      severity: 'block',
      patterns: [
        'sur~qualifi*', 'jeunes? et dynamiques?', 'dynamiques? et jeunes?', `jeunes? (?:${PERSONNE}|diplomee?s?|equipes?|sang)`,
        'equipes? (?:tres |assez |plutot )?jeunes?',
        // « quelqu'un de plus jeune » : une comparaison dont le seul sujet est une personne.
        "quelqu'un (?:de )?(?:plus |moins )?(?:jeune|age|agee|vieux|vieille)", 'sang (?:neuf|jeune|frais)', 'trop (?:jeunes?|vieux|vieilles?|agee?s?|senior|seniors)',
        `(?:il|elle|vous) (?:est|etes|etait|etiez|semble|semblez|semblait|parait|paraissez|paraissait) ${DEGRE}(?:jeunes?|agee?s?|vieux|vieille)`,
        `(?:vieux|vieilles?|vieillissante?s?) ${PERSONNE}`, `${PERSONNE} (?:plus )?(?:agee?s?|vieux|vieilles?|vieillissante?s?|matures?)`,
        'personnes? agees?', `${PERSONNE} (?:de|d') # ans`, '(?:plus|moins|assez|tres|un peu|deja|si) agee?s?', 'agee?s? de #', '(?:son|sa|votre|leur|ton) age',
        "l'age (?:du|de la|des) candidat*", "(?:limite|tranche|critere|condition)s? d'age", 'age (?:limite|maximum|minimum|avance|mur|requis)',
        '(?:il|elle|vous) (?:a|avez|avait|aviez|aura) (?:plus de |moins de |pres de |presque |deja )?# ans',
        '(?:la|sa|votre|leur) (?:vingtaine|trentaine|quarantaine|cinquantaine|soixantaine)', '(?:quadra|quinqua|sexa)(?:genaires?)?',
        "(?:proche|pres|approche|approchant|au seuil|a l'aube) de la retraite", '(?:age|depart) (?:de|a) la retraite',
        '(?:partir|partira|bientot) a la retraite', 'prendre sa retraite', 'retraitee?s?', 'pre~retraite*', 'natifs? du numerique',
        'enfants? du numerique', 'generation [xyz]', 'milleniaux', 'nee?s? en (?:19|20)[0-9]{2}', '(?:date|annee) de naissance',
      ],
    },
    { code: 'protected_age', severity: 'warn', patterns: ['trop experimentee?s?', 'age moyen'] },
    { code: 'protected_age', severity: 'info', patterns: ['(?:recemment|fraichement|nouvellement) diplomee?s?'] },
    {
      code: 'protected_gender',
      severity: 'block',
      patterns: [
        'femmes?(?! de menage)',
        "(?<!(?:jours?|mois|annees?) )hommes?(?! (?:jours?|mois|annees?|de terrain|de confiance|d'action|de la situation|cles?|orchestre))",
        '(?<!(?:classes?|tables?|entites?|societes?|pages?|filiales?) )filles?', 'dames?', 'demoiselles?', 'feminin*', 'masculin*', 'sexe',
        '(?:son|sa|leur|votre) genre', 'identite de genre', 'transgenres?', 'transsexuel*', 'non~binaires?',
        '(?:pour|en tant que|comme) (?:une|un) (?:femme|homme|fille|mec|gars)',
      ],
    },
    {
      code: 'protected_pregnancy_family',
      severity: 'block',
      patterns: [
        'enceintes?(?! (?:connectees?|acoustiques?|bluetooth))', 'grossesses?', 'maternite', 'paternite', 'conges? parenta(?:l|ux)',
        '(?<!(?:elements?|noeuds?|processus|composants?|classes?|taches?|fenetres?|widgets?|objets?|tables?|branches?|tickets?) )enfants?', 'bebes?',
        'creches?', 'nounous?', 'nourrices?', 'projet (?:de famille|familial|parental|de bebe)', 'fonder une famille',
        'agrandir (?:la|sa|votre) famille',
        '(?:vie|obligations?|contraintes?|charges?|engagements?|responsabilites?|raisons?|situation|imperatifs?) famil(?:iale?s?|iaux)',
        'vie de famille', 'charges? de famille',
        '(?:meres?|peres?) (?:de famille|celibataires?|isolee?s?|au foyer|de (?:deux|trois|quatre|#) enfants)',
        '(?:jeune|future?|nouvelle|nouveau) (?:maman|mere|papa|pere|parent)s?', 'mamans?', 'parents? (?:isolee?s?|solos?|celibataires?)',
        'allaitement', 'fiv', 'fausses? couches?',
      ],
    },
    {
      code: 'protected_race_ethnicity',
      severity: 'block',
      patterns: [
        'ethni*', 'raciale?s?', 'raciaux', '(?:sa|leur|votre) race', 'race(?:,| ou| et) (?:religion|origine|ethnie|couleur|sexe)',
        'couleur de (?:sa |leur |votre )?peau',
        `${PERSONNE} (?:noire?s?|blanche?s?|de couleur|basanee?s?|metisse?s?|asiatiques?|maghrebine?s?|africaine?s?|arabes?)`,
        '(?:un|une|des) (?:noire?s?|blacks?|asiatiques?|arabes?|beurs?|rebeus?|maghrebine?s?|metisse?s?)', 'maghrebin*', 'beurs?', 'beurettes?',
        'rebeus?', 'renois', 'metis(?:se|ses)?', 'tsiganes?', 'gitane?s?', 'gens du voyage', 'de souche', 'facies',
      ],
    },
    {
      code: 'protected_religion',
      severity: 'block',
      patterns: [
        'religi*', 'musulmane?s?', 'islam*', 'chretien*', 'catholiques?', 'protestante?s?', 'evangeliques?', 'juifs?', 'juives?', 'judaisme',
        'hindou*', 'bouddhis*', 'athees?', 'croyante?s?', "pratiquante?s?(?! (?:de|d'|du|des))", 'voilee?s?',
        '(?:porte|porter|portant|portez|portait) (?:le|un) voile', 'foulards?(?! de soie)', 'kippas?', 'prieres?', 'eglises?', 'mosquees?',
        'synagogues?', 'careme', 'shabbat', 'sabbat', 'cac?her', 'kasher', '(?:sa|leur|votre|ses|leurs|vos) (?:foi|croyances?)',
      ],
    },
    {
      code: 'protected_disability_health',
      severity: 'block',
      patterns: [
        'handicap*', 'invalidite', 'fauteuils? roulants?', 'rqth', 'arrets? (?:maladie|de travail)', 'conges? maladie', 'maladies?', 'malades?',
        'sante mentale', '(?:problemes?|soucis|raisons?|etat|motifs?) de sante', 'depressi*', 'burn~out', 'epuisement professionnel', 'anxiete',
        "troubles? (?:psychiques?|psychiatriques?|mentaux|mental|bipolaires?|anxieux|du spectre autistique|dys|de l'attention)", 'bipolaires?',
        'schizophren*', 'autis*', 'asperger', 'tdah', 'dyslexi*', 'dyspraxi*', '(?:est|etait|etre|partiellement) aveugles?', 'cecite',
        'non~voyante?s?', 'malvoyante?s?', 'sourde?s?(?! oreilles?)', 'surdite', 'malentendante?s?', 'cancers?', 'diabet*', 'epilep*', 'begai*',
        'begay*', 'medicaments?',
      ],
    },
    {
      code: 'protected_nationality_accent',
      severity: 'block',
      patterns: [
        "(?<!(?:mettre|mis|mise|mettant|met|mettez|mettons|mettent|mettait|mettaient|mettra|mettrons) l'|couleurs? d')accents?(?! (?:sur|mis|est mis|a ete mis|aigus?|graves?|circonflexes?|colou?rs?))",
        '(?:langue maternelle|nati(?:f|ve)s?|locut(?:eur|rice)s? nati(?:f|ve)s?) (?:exigee?|requise?|obligatoire|indispensable|souhaitee?|imperati(?:f|ve))',
        '(?:etre|soyez) (?:de langue maternelle|nati(?:f|ve))', 'non~nati(?:f|ve)s?', '(?:un|une|des|les) etrang(?:er|ere|ers|eres)',
        `${PERSONNE} etrang(?:er|ere|ers|eres)`, 'travailleu(?:r|se)s? etrang(?:er|ere|ers|eres)',
        'noms? (?:a consonance )?etrang(?:er|ere|ers|eres)', 'a consonance @', `(?:d'origine|de type) ${ORIGINE}`, 'nationalit*',
        "(?:pays|lieu) d'origine", '(?:ses|son|leurs|leur|vos|votre) origines?', 'immigree?s?', 'migrante?s?', 'refugiee?s?', 'sans~papiers',
      ],
    },
    { code: 'protected_nationality_accent', severity: 'warn', patterns: ['langue maternelle', 'locut(?:eur|rice)s? nati(?:f|ve)s?'] },
    {
      code: 'work_authorization',
      severity: 'info',
      patterns: ['permis de travail', 'titres? de sejour', 'cartes? de sejour', 'autorisation de travail'],
    },
    {
      code: 'protected_marital_status',
      severity: 'block',
      patterns: [
        'situation (?:matrimoniale|maritale|conjugale)', 'matrimonia*',
        '(?:est|etes|suis|sont|etait|etiez|etre|pas|jeune|jeunes|nouvellement|recemment|deja|bien) mariee?s?', 'mariages?', 'celibataires?',
        'divorc*', 'veu(?:f|fs|ve|ves)', 'epoux', 'epouses?', '(?:son|sa|votre|leur) conjointe?', 'mari', 'fiancee?s?', 'pacs(?:ee?s?)?', 'concubin*',
        'en couple', 'vie de couple', 'petite? amie?s?',
      ],
    },
    {
      code: 'protected_sexual_orientation',
      severity: 'block',
      patterns: ['homosexu*', 'heterosexu*', 'bisexu*', 'lesbiennes?', 'orientation sexuelle', 'sexualite', 'pedes?'],
    },
    {
      code: 'vague_phrase',
      severity: 'warn',
      patterns: [
        'pas (?:le|un) bon (?:profil|fit|match|candidat|feeling)', '(?:pas|plus) (?:le|du) profil (?:recherche|adequat|ideal|attendu)',
        "(?:ne )?(?:correspond|correspondez|correspondait|correspondiez|correspondrait|colle|collez|collait|cadre|cadrait) pas (?:vraiment |tout a fait |totalement |assez )?(?:a|au|aux|avec|dans) (?:notre |nos |la |votre |l')?(?:culture|equipe|entreprise|attentes|valeurs|adn|esprit)",
        "(?:ne s'integre|ne s'integrait|ne s'integrerait) pas (?:vraiment )?(?:a|dans) (?:notre |la |l')?(?:culture|equipe)",
        "pas (?:en )?adequation avec (?:notre |la |nos |l')(?:culture|equipe|valeurs)",
        'pas (?:de|un|le) (?:bon |vrai )?(?:fit|match|feeling)(?: culturel)?', "(?:manque|absence) d'(?:alchimie|affinite|adequation)",
        '(?:manque|absence) de (?:feeling|fit|chimie|synergie)', "(?:le courant|le feeling) n'est pas passe", "la (?:mayonnaise|sauce) n'a pas pris",
        "(?:d'autres|les autres) (?:candidats|candidates|candidatures|profils) (?:etaient|sont|semblaient|ont ete) (?:simplement |juste )?(?:plus (?:forts|fortes|solides|qualifiee?s|adaptee?s|pertinents|convaincants)|meilleure?s|mieux)",
        "(?:fait|pris|choisi|opte pour|decide de prendre|parti sur|partis sur|privilegie) (?:un autre choix|une autre (?:direction|voie|orientation|option)|un autre profil|d'autres profils)",
        'pas (?:la|une) bonne (?:personne|adequation|alchimie)', "(?:ne l'avons|ne l'a|ne vous avons) pas (?:vraiment )?senti",
      ],
    },
  ],
};
