// Spanish terms, written folded ("anos" matches "años", "jubilacion" matches "jubilación");
// the pattern shorthands are in terms.ts. Adjectives carry gender and number ("casad[oa]s?").
//
// Spanish traps: "mayor" is mostly "greater" ("mayor experiencia"), "en el extranjero" means
// "abroad", "idiomas extranjeros" are foreign languages, "nodo hijo"/"proceso padre" are code,
// "oración" is also a sentence, "poner el acento en" means to emphasise, "faltan acentos" is
// about spelling, and "Cristian" is a first name: those only count in context.
import type { TermList } from './terms.js';

const PERSONA =
  '(?:alguien|candidat[oa]s?|personas?|perfil(?:es)?|gente|hombres?|mujer(?:es)?|chic[oa]s?|senor(?:a|es|as)?|trabajador(?:a|es|as)?|emplead[oa]s?|profesionales?|talentos?|colaborador(?:a|es|as)?|ingenier[oa]s?|desarrollador(?:a|es|as)?)';
const GRADO = '(?:un poco |algo |bastante |muy |demasiado |todavia |aun |ya )?';
const ORIGEN = '(?:extranjer[oa]|africano|arabe|asiatico|latino|marroqui|rumano|chino|sudamericano|gitano|magrebi|musulman|indigena)';

export const es: TermList = {
  language: 'es',
  groups: [
    {
      code: 'protected_age',
      severity: 'block',
      patterns: [
        'sobre~(?:cualifica|califica)d[oa]s?', 'joven(?:es)? y dinamic[oa]s?', 'dinamic[oa]s? y joven(?:es)?',
        `(?:joven|jovenes) (?:${PERSONA}|equipos?|titulad[oa]s?|graduad[oa]s?|licenciad[oa]s?|egresad[oa]s?|sangre)`,
        `${PERSONA} (?:mas |menos )?(?:joven|jovenes|mayor|mayores|de (?:mas )?edad|madur[oa]s?|viej[oa]s?)`, 'equipos? (?:muy )?joven(?:es)?',
        'sangre (?:nueva|joven|fresca)',
        `(?<!(?:empresa|compania|startup|organizacion|tecnologia|proyecto|producto|plataforma|codigo|sistema) )(?:es|eres|era|eras|sea|seas|parece|pareces|parecia) ${GRADO}(?:joven|jovenes|viej[oa]s?)`,
        'demasiado (?:joven|jovenes|mayor|mayores|viej[oa]s?|senior)', '(?:su|tu|sus|tus) edad(?:es)?',
        'edad (?:avanzada|maxima|minima|limite|madura|requerida|de jubilacion)', '(?:limite|rango|franja|tramo) de edad', '(?:por|a) (?:su|tu) edad',
        '(?:tiene|tenia|tienes|teniendo|cumple|cumplio) # anos(?! de (?:experiencia|trayectoria|carrera|antiguedad))', `${PERSONA} de # anos`,
        '# anos de edad', 'mayor(?:es)? de # anos', '(?:veinte|treinta|cuarenta|cincuenta|sesenta) y (?:pico|tantos)',
        '(?:cuarent|cincuent|sesent)on(?:a|es|as)?', 'treintaner[oa]s?', '(?:cerca|proxim[oa]s?|a punto) (?:de|a) (?:la )?jubila*', 'jubilad[oa]s?',
        'pre~jubila*', 'nativ[oa]s? digital(?:es)?', 'generacion [xyz]', 'milenial*',
        '(?:buscamos|se busca|necesitamos|preferiblemente|requisito|solo|imprescindible) (?:un |una )?recien (?:graduad|titulad|licenciad|egresad)[oa]s?',
        'fecha de nacimiento', 'nacid[oa]s? en (?:19|20)[0-9]{2}',
      ],
    },
    { code: 'protected_age', severity: 'warn', patterns: ['demasiado experimentad[oa]s?', 'edad (?:media|promedio)'] },
    { code: 'protected_age', severity: 'info', patterns: ['recien (?:graduad|titulad|licenciad|egresad)[oa]s?'] },
    {
      code: 'protected_gender',
      severity: 'block',
      patterns: [
        'mujer(?:es)?', 'hombres?(?! orquesta)', 'chicas?', 'senoritas?', 'femenin[oa]s?', 'masculin[oa]s?', 'sexo', '(?:su|por su|de su) genero',
        'identidad de genero', 'transgenero*', 'transexual*', 'no binari[oa]s?', '(?:para|como) (?:una|un) (?:mujer|hombre|chica|chico|senora)',
      ],
    },
    {
      code: 'protected_pregnancy_family',
      severity: 'block',
      patterns: [
        'embaraz*', 'maternidad', 'paternidad', 'baja (?:maternal|paternal)', 'lactancia',
        '(?<!(?:nodos?|procesos?|elementos?|componentes?|clases?|tablas?|hilos?|ventanas?|tareas?) )hij[oa]s?', 'nin[oa]s',
        '(?:un|una|su|sus|los|las|mis|tus|con|sin) nin[oa]s?', 'guarderias?', 'cuidado (?:de|a) (?:los |sus )?(?:hijos|ninos|menores)',
        'formar una familia', '(?:planes|obligaciones|responsabilidades|cargas|compromisos|situacion|motivos|razones|vida) familiar(?:es)?',
        'conciliacion (?:familiar|laboral)',
        '(?<!(?:nodos?|procesos?|elementos?|componentes?|clases?|tablas?|empresas?|casas?|compania) )(?:madres?|padres?)',
        '(?:un|el|su|tener|esperando|esperar) bebe', 'bebes', 'fecundacion in vitro', 'abortos?',
      ],
    },
    {
      code: 'protected_race_ethnicity',
      severity: 'block',
      patterns: [
        'razas?', 'racial(?:es)?', 'etnia*', 'etnic[oa]s?', 'color de (?:su )?piel',
        `${PERSONA} (?:negr[oa]s?|blanc[oa]s?|de color|moren[oa]s?|asiatic[oa]s?|arabes?|latin[oa]s?|indigenas?|mestiz[oa]s?)`,
        '(?:un|una|unos|unas) (?:negr[oa]s?|latin[oa]s?|asiatic[oa]s?)', 'gitan[oa]s?', 'moros?', 'sudacas?', 'indigenas?', 'mestiz[oa]s?',
        'mulat[oa]s?', 'rasgos (?:fisicos|etnicos|asiaticos|arabes|africanos|indigenas)',
      ],
    },
    {
      code: 'protected_religion',
      severity: 'block',
      patterns: [
        'religi*', 'musulman*', '(?:es|ser|como|muy|practicante|devot[oa]) cristian[oa]s?', 'cristian(?:os|as|ismo)', 'catolic[oa]s?',
        'protestantes?', 'evangelic[oa]s?', 'judi[oa]s?', 'judaismo', 'budis*', 'ate[oa]s?',
        '(?:el|su|con|lleva|llevar|llevaba|usa|usar|usaba) velos?', 'velo islamico', 'panuelo (?:islamico|en la cabeza)', 'hiyab', 'kipa', 'turbante',
        '(?:rezar|reza|rezan|rezando|rezos?)', '(?:hora|horas|tiempo|momentos?|sala|descansos?|pausas?) (?:de|para) (?:la )?oracion',
        'oracion(?:es)? (?:diarias?|religiosas?)', 'iglesias?', 'mezquitas?', 'sinagogas?', 'cuaresma', 'creyentes?', '(?:su|sus) (?:fe|creencias)',
      ],
    },
    {
      code: 'protected_disability_health',
      severity: 'block',
      patterns: [
        'discapacid*', 'discapacitad[oa]s?', 'minusvali*', 'silla de ruedas', 'baja (?:medica|por enfermedad)', 'bajas medicas', 'enfermedad(?:es)?',
        'enferm[oa]s?', 'salud mental', '(?:problemas?|motivos|razones|estado) de salud', 'depresi(?:on|vo|va|vos|vas)', 'ansiedad', 'sindrome de @',
        'autis*', 'tdah', 'dislexi*', 'dispraxi*', '(?:es|era|ser|parcialmente|totalmente) cieg[oa]s?', 'ceguera', 'invidentes?',
        '(?<!oidos )sord[oa]s?', 'sordera', 'cancer', 'diabet*', 'epileps*', 'tartamud*',
        'trastornos? (?:bipolar|mental(?:es)?|de ansiedad|del espectro|psicologic[oa]s?|alimentari[oa]s?|de deficit)',
      ],
    },
    {
      code: 'protected_nationality_accent',
      severity: 'block',
      patterns: [
        '(?<!(?:poner|pone|puso|ponemos|pusieron|puesto|poniendo|pongan|ponga) el |(?:faltan|falta|faltaban|faltaron) )acentos?(?! (?:en|grafico|ortografico|escrito|tonico|agudo))',
        '(?:nativ[oa]s?|hablantes? nativ[oa]s?|lengua materna) (?:requerid[oa]|imprescindible|obligatori[oa]|necesari[oa])',
        '(?:imprescindible|requisito|se requiere|buscamos|solo) (?:ser )?(?:un |una )?(?:hablantes? )?nativ[oa]s?', 'no nativ[oa]s?',
        '(?<!(?:en|del|al|desde|hacia|por) el |(?:lenguas?|idiomas?|mercados?|empresas?|filiales?|clientes?|divisas?|monedas?|sucursales?|inversion(?:es)?) )extranjer[oa]s?',
        'nacionalidad(?:es)?', '(?:pais|lugar) de (?:origen|nacimiento)', '(?:su|sus|tu|tus) (?:origen|origenes|raices)', `de origen ${ORIGEN}`,
        'inmigrantes?', 'migrantes?', 'refugiad[oa]s?', 'sin papeles',
      ],
    },
    { code: 'protected_nationality_accent', severity: 'warn', patterns: ['hablantes? nativ[oa]s?', '(?:lengua|idioma) (?:materna|nativa|nativo)'] },
    {
      code: 'work_authorization',
      severity: 'info',
      patterns: ['permisos? de trabajo', 'visados?', 'permisos? de residencia', 'autorizacion de trabajo', 'tarjeta de residencia'],
    },
    {
      code: 'protected_marital_status',
      severity: 'block',
      patterns: [
        'estado civil', 'casad[oa]s?', 'solter[oa]s?', 'divorci*', 'viud[oa]s?', 'espos[oa]s?', 'maridos?', 'conyuges?', 'novi[oa]s?', 'bodas?',
        'matrimoni*', 'pareja de hecho',
      ],
    },
    {
      code: 'protected_sexual_orientation',
      severity: 'block',
      patterns: ['lesbianas?', 'orientacion sexual', 'sexualidad', 'maricon(?:es)?'],
    },
    {
      code: 'vague_phrase',
      severity: 'warn',
      patterns: [
        'no (?:encaja|encajaba|encajas|encajaria|encajo|termino de encajar|terminaba de encajar)(?: (?:del todo |bien |realmente )?(?:con|en) (?:la|nuestra|el|nuestro) (?:cultura|equipo|empresa|filosofia|valores))?',
        'no (?:es|era|eres|fue) (?:el|un) (?:perfil|candidato|encaje|fit|match) (?:adecuado|ideal|que buscamos|que buscabamos|idoneo|correcto)',
        'no (?:es|era|eres|fue) (?:un )?buen (?:encaje|fit|match)',
        'otros (?:candidatos|perfiles|postulantes) (?:eran|fueron|son|resultaron|tenian|encajaban) (?:mas (?:fuertes|solidos|adecuados|completos|preparados|idoneos)|mejores|mejor)',
        '(?:optamos|hemos optado|decidimos|hemos decidido|elegimos) (?:por |ir (?:en|por) )?(?:otro camino|otra direccion|otra via|otro perfil|otra opcion)',
        '(?:falta|faltaba|falto|sin) (?:de )?(?:quimica|feeling|sintonia)', 'no (?:hubo|hay|habia) (?:quimica|feeling|sintonia)',
        'no (?:nos )?(?:convencio|convence|convencia|termino de convencer|acabo de convencer)',
        'no (?:se sintio|nos sentimos|sentimos) (?:del todo )?bien', 'corazonada',
        'no (?:es|era|eres) lo que (?:buscamos|buscabamos|estamos buscando)',
      ],
    },
  ],
};
