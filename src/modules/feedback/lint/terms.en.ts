// English terms. Written folded (lower case, no accents); the pattern shorthands are in terms.ts.
//
// The guiding rule: a word that is also common in engineering or business English ("old",
// "young", "single", "native", "black", "race", "children", "disabled", "mature", "age") only
// counts next to something that makes it about a person; words with no innocent reading
// ("pregnant", "overqualified", "hijab") count anywhere.
//
// Deliberately absent: "blacklist", "whitelist", "black-box" (not about people; inclusive
// wording is a style question, and mixing it in would dilute what a block means); "Christmas",
// "Easter" (calendar markers, where "Ramadan" and "Sabbath" show up in feedback about someone's
// observance); "senior"/"junior" alone (job levels: only "too senior" is the age proxy); and
// "visa", "work permit" are lawful eligibility questions, reported as info.
import type { TermList } from './terms.js';

// Nouns that make an adjective about a person. "team" is deliberately absent: "our old team"
// means the former one; "young team" is listed on its own.
const PERSON =
  '(?:candidates?|applicants?|persons?|people|man|men|woman|women|guys?|girls?|lady|ladies|gentlem[ae]n|workers?|employees?|colleagues?|individuals?|profiles?|hires?|professionals?|talents?|engineers?|developers?|staff)';
const OLD_PERSON = '(?:man|men|woman|women|lady|ladies|guys?|people|persons?|candidates?|applicants?|workers?|timers?|gentlem[ae]n)';
// "they" is left out: in feedback it is as often "they are old libraries" as a person.
const PRONOUN_IS = "(?:he|she|you)(?:'s|'re| is| are| was| were| seems?| seemed| looks?| looked| feels?| felt)";
const DEGREE = '(?:a bit |a little |quite |rather |very |fairly |so |somewhat |slightly |too |much |a lot )?';
// Said of code, products and organisations, where "mature" is praise of the thing, not a person.
const THING =
  '(?:code|codebases?|process(?:es)?|products?|technolog*|tech|stack|markets?|platforms?|organi[sz]ations?|compan(?:y|ies)|engineering|practices?|tooling|tools|systems?|frameworks?|projects?|librar(?:y|ies)|apis?|ecosystems?|infrastructure|architecture|versions?|releases?|industr(?:y|ies)|solutions?|approach to (?:testing|tooling)|teams?|startups?|business(?:es)?|field|standards?|methodolog(?:y|ies)|data)';
const LINKING = '(?:is|are|was|were|seems?|looks?|feels?|got|gets|getting|became|becomes|becoming)(?: (?:very|quite|fairly|pretty|already|more|reasonably|relatively|now))?';
const DEMONYM =
  '(?:indian|chinese|polish|turkish|russian|nigerian|mexican|romanian|ukrainian|syrian|pakistani|bangladeshi|filipin[oa]|vietnamese|moroccan|algerian|tunisian|brazilian|albanian|bulgarian|afghan|iranian|iraqi|somali|eritrean|jamaican|korean|japanese|german|french|spanish|italian|american|british|irish|portuguese|greek|dutch|swiss|austrian|hungarian|serbian|croatian|bosnian|egyptian|ethiopian|ghanaian|kenyan|colombian|venezuelan|peruvian|argentin(?:e|ian)|cuban|european|eastern european|south american|latin american|middle eastern|north african|foreign)';
const ORIGIN_NOUN =
  '(?:candidates?|applicants?|persons?|people|man|men|woman|women|guys?|girls?|lady|ladies|nationals?|citizens?|immigrants?|workers?|accents?|background|origins?|descent|heritage|roots|names?|surnames?)';
const RACE_ADJ = '(?:black|white|brown|asian|hispanic|latin[oa]|arab|african|caucasian|indigenous|aboriginal|native american)';
const POSSESSIVE = "(?:his|her|their|your|the candidate's|candidate's|applicant's)";

export const en: TermList = {
  language: 'en',
  groups: [
    {
      code: 'protected_age',
      severity: 'block',
      patterns: [
        'over~qualif*', 'young and (?:dynamic|energetic|hungry|fresh)', '(?:dynamic|energetic) and young', 'energetic (?:and )?young',
        'digital natives?', `(?:young|younger|youthful) (?:${PERSON}|team|blood|crowd)`,
        // "someone younger/older": a comparison whose only subject is a person.
        '(?:someone|somebody|anyone|anybody) (?:a (?:bit|little|lot) |much |slightly )?(?:younger|older)', `(?:old|older|elderly|aging|ageing) ${OLD_PERSON}`,
        `older ${PERSON}`, `mature ${PERSON}`, `${PRONOUN_IS} ${DEGREE}(?:old|older|young|younger)`, 'too senior', 'too (?:old|young) (?:for|to)',
        'older than (?:the rest of |most of |everyone (?:in|on) )?(?:the|our|your) team', 'elderly', 'youngsters?', 'senior citizens?', 'pensioners?',
        'retirees?', 'gr[ae]y~hair*', '(?:near|close to|nearing|approaching|ready for|thinking about|on the verge of) retirement', 'retirement age',
        '(?:about|going|planning|ready|close) to retire', 'retiring soon', `${POSSESSIVE} age`, '(?:at|for) (?:his|her|their|your) age',
        'age (?:limits?|brackets?|groups?|requirements?|range|gap|difference|profile|discrimination)', 'aged #', 'age:? #', '# years? of age',
        'years of age', `#~years?~olds? ${PERSON}`,
        `in (?:his|her|their|your) (?:early |mid |late )?(?:twenties|thirties|forties|fifties|sixties|[2-6]0'?s)`,
        '(?:twenty|thirty|forty|fifty|sixty|[2-6]0)~something', 'born in (?:19|20)[0-9]{2}', '(?:date|year) of birth', 'birth~?(?:date|year)',
        'millennials?', '(?:baby )?boomers?', 'zoomers?', 'gen(?:eration)?~[xyz]',
        '(?:looking for|look for|need|needs|needed|want|wants|wanted|prefer|prefers|preferred|require|requires|required|seeking|hiring|only|ideally|must be|should be) (?:a |an |only )?(?:recent|fresh|new) grad(?:uate)?s?',
        '(?:recent|fresh|new) grad(?:uate)?s? only',
      ],
    },
    {
      // "Mature" describing the candidate's conduct ("a mature approach") is usually praise of
      // professionalism, yet it is also the classic euphemism for "older": a pronoun subject warns,
      // anything else not about code or processes is noted, and "mature <person>" blocks (above).
      code: 'protected_age',
      severity: 'warn',
      patterns: [`${PRONOUN_IS} ${DEGREE}mature`, 'too experienced', '#~years?~old', '(?:average|median|mean) age'],
    },
    {
      code: 'protected_age',
      severity: 'info',
      patterns: [`(?<!${THING} ${LINKING} )mature(?! ${THING})`, '(?:recent|fresh|new) grad(?:uate)?s?'],
    },
    {
      code: 'protected_gender',
      severity: 'block',
      patterns: [
        'wom[ae]n', 'females?', 'males?', 'girls?', 'lady', 'ladies', 'feminine', 'masculine', 'gender(?! (?:neutral|inclusive))',
        `${POSSESSIVE} (?:gender|sex)`, 'sex', '(?:for|as|like) an? (?:man|guy|boy|woman|girl|lady|female|male)',
        '(?:a|another|the) (?:man|guy|male|woman|female|girl|lady) (?:would|will|might|could) (?:fit|suit|be better)',
        'better suited (?:to|for) an? (?:man|guy|woman|girl|lady)', 'transgender*', 'trans (?:woman|man|women|men|person|people)', 'non~binary',
        'gender identity',
      ],
    },
    {
      // Gendered wording rather than a judgement of the candidate's gender: worth a rewrite,
      // not a reason to hold the message.
      code: 'protected_gender',
      severity: 'warn',
      patterns: ['manpower'],
    },
    {
      code: 'protected_pregnancy_family',
      severity: 'block',
      patterns: [
        'pregnan*', 'expecting (?:a )?(?:baby|child)', 'maternity', 'paternity', 'parental leave', 'mat leave',
        '(?:plan|plans|planning|want|wants|wanting|start|starting|raise|raising) (?:to (?:start|have) )?(?:a )?(?:family|baby|babies|kids|children)',
        '(?:has|have|having) (?:a )?(?:family|baby|babies|kids|young children|small children)',
        'family (?:plans|planning|commitments|obligations|situation|responsibilities|circumstances|reasons|life|duties|constraints)', 'kids',
        '(?:a|her|his|their|your|young|small|little|sick|new) (?:kid|child|baby|toddler|newborn)', 'child~care',
        '(?<!(?:its|their) )children(?! (?:nodes?|elements?|components?|processes|threads|tasks|of (?:the|a|this|that|each|every) (?:node|element|component|tree|root)))',
        'nann(?:y|ies)', 'day~care', 'school run', 'breast~feeding',
        '(?:single|working|new|young|expectant|stay at home) (?:mothers?|moms?|mums?|fathers?|dads?|parents?)',
        '(?:mother|father|mom|mum|dad|parent) (?:of|to) (?:one|two|three|four|five|#|a|an)', 'as a (?:mother|father|mom|mum|dad|parent)',
        'caring responsibilities', 'ivf', 'fertility', 'miscarriage',
      ],
    },
    {
      code: 'protected_race_ethnicity',
      severity: 'block',
      patterns: [
        'ethnic*', 'racial*', `(?:${POSSESSIVE}|of (?:a )?different) race`,
        'race(?:,| or| and) (?:ethnicity|religion|colou?r|gender|nationality|sex)', 'skin (?:colou?r|tone)', 'colou?r of (?:his|her|their|your) skin',
        `${RACE_ADJ} ${OLD_PERSON}`, `${RACE_ADJ} (?:community|colleagues?|employees?|engineers?|developers?|background)`, 'non~white',
        '(?:people|persons?|candidates?|women|men|man|woman) of colou?r', 'caucasian', 'hispanic', 'latinx', 'mixed~race', 'bi~racial',
        'gyps(?:y|ies)', 'gipsy', 'aboriginal', 'african~americans?', 'afro(?:~(?:caribbean|american|latin[oa]|descendants?))?',
        '(?:ethnic|racial|visible) minorit*', 'bame',
      ],
    },
    {
      code: 'protected_religion',
      severity: 'block',
      patterns: [
        'religio*', 'muslims?', 'islam*',
        // "Christian" is a common first name: only the adjective or a believer counts.
        '(?:a|as a|is|being|devout|practi[cs]ing|born again) christians?',
        'christians?(?= (?:faith|values|beliefs?|background|church|community|holidays?))', 'christianity', 'catholic*', 'protestant*', 'evangelical*',
        'jews?', 'jewish', 'judaism', 'hindu*', 'buddhis*', 'sikhs?', 'atheis*', 'mormons?', "jehovah's witness(?:es)?", 'scientolog*', 'pray',
        'prays', 'praying', 'prayers?', 'head~scar(?:f|ves)', 'hijabs?', 'niqabs?', 'bur(?:q|k)as?', 'turbans?', 'kippahs?', 'yarmulkes?',
        'church(?:es)?', 'mosques?', 'synagogues?', 'ramadan', 'sabbath', 'shabbat', 'kosher', 'halal', 'yom kippur',
        `${POSSESSIVE} (?:faith|beliefs)`, 'religious (?:holidays?|observance|practice|beliefs?)',
      ],
    },
    {
      code: 'protected_disability_health',
      severity: 'block',
      patterns: [
        '(?<!(?:users?|customers?|visitors?|people|readers) with (?:a )?)disabilit(?:y|ies)',
        '(?:is|was|being|a|physically|mentally|severely|registered) disabled', `disabled ${PERSON}`, 'handicap*', 'wheelchairs?',
        'wheelchair (?:users?|bound)', 'sick (?:leave|days?|notes?|pay)',
        '(?:often|frequently|always|was|been|is|got|gets|getting|off|called in|calling in|calls in) sick', 'sickness', 'ill health', 'illness(?:es)?',
        'mental(?:ly)? (?:health|illness|ill|disorders?|breakdowns?|issues?|problems?)', 'depression', 'depressive', 'depressed', 'anxiety',
        'panic attacks?', 'bipolar', 'schizophreni*', 'ptsd', 'ocd', 'burn~outs?', 'burn(?:ed|t) out', 'autis*', 'asperger*', 'adhd', 'dyslexi*',
        'dyspraxi*', 'neurodiver*', '(?:is|was|being|partially|legally|completely) blind', 'blindness', 'deaf(?:ness)?(?! ears?)', 'hard of hearing',
        'hearing (?:impaired|impairments?|aids?|loss)', 'visually impaired', '(?:physical|mental|cognitive|visual|speech) impairments?',
        'chronic (?:illness|pain|conditions?|fatigue|diseases?)', 'cancer', 'chemo*', 'diabet*', 'epilep*', 'hiv',
        'medical (?:conditions?|history|leave|issues?|reasons|records?|problems?)',
        'health (?:issues?|problems?|conditions?|reasons|concerns|history)', 'medications?', 'stutter*', 'stammer*',
      ],
    },
    {
      // "l'accent", "d'accent" are French: the French list knows when they mean emphasis.
      code: 'protected_nationality_accent',
      severity: 'block',
      patterns: [
        // "l'accent" is French, and the French list knows when it means emphasis.
        "(?<![ld]')(?:accents?|accented)(?! colou?rs?)", '(?:must|should|need to|needs to|has to|have to) be (?:a )?native(?: @)? speakers?',
        'native(?: @)? speakers? (?:only|required|preferred|needed|is a must)',
        '(?:looking for|look for|require|requires|required|need|needs|prefer|prefers|preferred|seeking|want|wants|only) (?:a |an )?native(?: @)? speakers?',
        'non~natives?(?: @)?(?: speakers?)?', 'not (?:his|her|their|your) (?:first|native|mother) (?:language|tongue)', 'foreigners?', 'foreign~born',
        'born (?:abroad|outside)', `${DEMONYM} ${ORIGIN_NOUN}`, 'nationalit(?:y|ies)', 'national origin', 'country of origin',
        `${POSSESSIVE} (?:origins?|roots|heritage)`, "where (?:he|she|you|they)(?:'s|'re| is| are| comes?| came) from", 'immigrants?', 'migrants?',
        'refugees?', 'asylum seekers?', 'expats?',
      ],
    },
    {
      // Describing someone as a native speaker is not a requirement, but still ties language to
      // origin: a nudge to describe proficiency instead.
      code: 'protected_nationality_accent',
      severity: 'warn',
      patterns: ['native(?: @)? speakers?', 'mother tongue'],
    },
    {
      code: 'work_authorization',
      severity: 'info',
      patterns: [
        'work (?:permits?|visas?|authori[sz]ations?)', 'visa sponsorship', 'visas?(?! (?:cards?|payments?|sponsorship))', 'sponsorship', 'right to work', 'residence permits?',
        'citizenship', 'green card', 'blue card', 'immigration status',
      ],
    },
    {
      code: 'protected_marital_status',
      severity: 'block',
      patterns: [
        'marital*', '(?:un)?married', 'marriage', "(?:is|are|was|were|being|still|she's|he's|you're) single", 'divorc*', 'widow*', 'spous(?:e|es|al)',
        '(?:ex~)?husbands?', '(?:ex~)?wi(?:fe|ves)', 'fiancee?s?', 'engaged to', '(?:ex~)?(?:girl|boy)friends?', 'weddings?', 'honeymoon*',
        'relationship status', 'in a relationship', 'civil partner*', 'domestic partner*',
      ],
    },
    {
      code: 'protected_sexual_orientation',
      severity: 'block',
      patterns: [
        'gays?', 'lesbians?', 'bi~sexual*', 'homosexual*', 'heterosexual*', 'queer', 'lgbt*[+]?', 'sexual orientation', 'sexuality', 'same~sex',
        'asexual', 'pansexual',
      ],
    },
    {
      code: 'vague_phrase',
      severity: 'warn',
      patterns: [
        "(?:not|wasn't|isn't|weren't|aren't|was not|is not|were not|are not) (?:a|the|really a|quite the|quite a) (?:good |great |strong |right |perfect |natural |real )?(?:culture |cultural |team )?(?:fit|match)",
        '(?:lack|lacked|lacking|no|missing) (?:of )?(?:culture|cultural|team) fit',
        '(?:went|going|gone|decided to go|chose to go|opted to go|will go|\'ll go) (?:in )?(?:another|a different) (?:way|direction|route)',
        '(?:move|moving|go|going|proceed|proceeding) forward with (?:other|another|a different|different) (?:candidates?|applicants?|profiles?)',
        'other (?:candidates|applicants|profiles) (?:were|was|are|had been) (?:just |simply |slightly )?(?:stronger|better|more (?:qualified|suitable|experienced|aligned)|a better (?:fit|match))',
        '(?:stronger|more suitable) (?:candidates|applicants|profiles)', "(?:didn't|did not|doesn't|does not|don't|do not) (?:quite )?feel right",
        '(?:lack|lacked|lacking|no|missing) (?:of )?(?:chemistry|spark)', "(?:didn't|did not) (?:quite )?click", 'gut (?:feeling|instinct|call)',
        "(?:just |simply )?not what we(?:'re| are| were) looking for", 'not the right (?:profile|person|candidate)', 'something (?:was )?missing',
        '(?:bad|wrong|weird|off) vibes?',
      ],
    },
  ],
};
