-- The phrases bench/run.sh and bench/soak.sh measure: psql -v rows=N -v seed=S -f bench/phrases.sql
-- into an empty table, oldest first (ids 1..N, created_at one second apart).
--
-- Search needs text like a phrasebook's, not 'Phrase <n>': a trigram index is only as fast as
-- the trigrams are selective, and a text every row shares makes every query look alike. So
-- each phrase is 4 to 10 words drawn with a frequency about 1/rank (Zipf, as in natural
-- language) from 200,000 words: the 240 common words below (Spanish and English function
-- words first, then a phrasebook's nouns and verbs, then rarer words with ñ, ü, å and
-- friends), then made-up words of two or three syllables. Every choice comes from
-- hashint8extended(<row and word number>, seed), so one seed gives the same table on every
-- run, in any order of evaluation. With the default seed, 1,000,000 rows: 'que' is in 25%
-- of them, 'gracias' in 0.9%, 'ñandú' in 0.27%, 'rrebo' (made up) in 0.11%; the counts of
-- every benchmark query are in docs/PERFORMANCE.md (Search).
--
-- Every row also keeps '¡', '&', '<' and '>' (escaped on every page, as before) and one
-- row in 100 ends with '50%', one in 1,000 with 'snake_case': literal % and _ to find.
-- None of these is a letter or digit, so they add no trigram.
INSERT INTO phrase (text, created_at)
SELECT '¡' || upper(left(p.words, 1)) || substr(p.words, 2)
       || CASE WHEN h % 100 = 0 THEN ' al 50%' WHEN h % 1000 = 1 THEN ' en snake_case' ELSE '' END
       || ' & <…>!',
       now() - make_interval(secs => :rows - g)
FROM generate_series(1, :rows) AS g
CROSS JOIN LATERAL (SELECT (hashint8extended(g, :seed) & 2147483647)::int AS h) AS row_hash
CROSS JOIN LATERAL (
    SELECT string_agg(CASE WHEN r <= cardinality(v.words) THEN v.words[r]
                           ELSE v.syl[1 + r % 64] || v.syl[1 + r / 64 % 64] || coalesce(v.syl[nullif(r / 4096 % 64, 0)], '') END,
                      ' ' ORDER BY j) AS words
    FROM (SELECT j, floor(exp((hashint8extended(g * 16 + j, :seed) & 2147483647) / 2147483648.0 * ln(200000)))::int AS r
          FROM generate_series(1, 4 + h % 7) AS j) AS pick,
    (SELECT ARRAY['de','la','que','el','en','y','the','a','los','to','se','del','las','un','por','of','con','and','no','una',
        'is','you','su','para','es','al','lo','como','más','it','in','pero','sus','le','ya','o','for','fue','este','ha',
        'sí','porque','esta','son','entre','cuando','muy','sin','sobre','también','me','hasta','hay','donde','quien','desde','todo','nos','with','your',
        'gracias','hola','adiós','favor','agua','café','tren','estación','hotel','baño','cuenta','mañana','noche','ciudad','niño','año','señor','corazón','canción','música',
        'where','is','how','much','please','thank','good','morning','night','ticket','train','station','water','coffee','bill','room','left','right','street','market',
        'dónde','está','cuánto','cuesta','quiero','necesito','puedo','tiene','habla','inglés','español','despacio','otra','vez','perdón','disculpe','salida','entrada','abierto','cerrado',
        'comida','cena','almuerzo','desayuno','pan','queso','vino','cerveza','leche','azúcar','sal','pescado','carne','pollo','verdura','fruta','manzana','naranja','plátano','limón',
        'aeropuerto','autobús','taxi','billete','equipaje','maleta','pasaporte','aduana','vuelo','puerta','andén','horario','retraso','llegada','izquierda','derecha','recto','cerca','lejos','calle',
        'médico','farmacia','hospital','dolor','cabeza','estómago','fiebre','alergia','receta','urgencia','policía','ayuda','fuego','peligro','cuidado','teléfono','número','dirección','mapa','playa',
        'lunes','martes','miércoles','jueves','viernes','sábado','domingo','enero','febrero','marzo','abril','mayo','junio','julio','agosto','septiembre','octubre','noviembre','diciembre','hoy',
        'ayer','pronto','tarde','temprano','siempre','nunca','ahora','después','antes','luego','bueno','malo','grande','pequeño','caliente','frío','nuevo','viejo','barato','caro',
        'ñandú','pingüino','cigüeña','über','naïve','crème','brûlée','façade','smörgåsbord','jalapeño','piñata','paella','tortilla','churros','sangría','guacamole','mojito','tapas','fiesta','siesta'] AS words,
     ARRAY['ba','ca','da','fa','ga','la','ma','na','pa','ra','sa','ta','be','ce','de','le','me','ne','re','se','te','bi','ci','di','li','mi','ni','ri','si','ti','bo','co',
        'do','lo','mo','no','ro','so','to','bu','cu','du','lu','mu','nu','ru','su','tu','tra','pla','gen','dor','ción','ñu','ble','cho','que','gui','llo','rre','ja','vo','zo','ven'] AS syl) AS v
) AS p;
