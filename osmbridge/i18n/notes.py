"""The message catalogue of notes: what each code says, in English and French.

Pure stages create notes with `note(code, **params)` (osmbridge/diff/notes.py, osmbridge/match/notes.py);
a code used there must be listed here. Parameters are filled with str.format, so "{distance_m:.0f}"
works; a parameter that is itself a note is rendered in the same language first.
"""

from __future__ import annotations

# Notes of the diff stage.
DIFF_NOTES: dict[str, tuple[str, str]] = {
    'city_hours_raw': ('city opening hours not parseable: shown raw',
                       'horaires de la ville non reconnus : affichés tels quels'),
    'osm_hours_raw': ('OSM opening_hours not parseable: compared as text',
                      'opening_hours OSM non reconnu : comparé comme texte'),
    'city_hours_converted': ('city opening hours converted from {raw!r}',
                             'horaires de la ville convertis depuis {raw!r}'),
    'case_only': ('differs only in upper/lower case',
                  'ne diffère que par les majuscules/minuscules'),
    'accents_only': ('differs only in accents',
                     'ne diffère que par les accents'),
    'punctuation_only': ('differs only in punctuation, spacing or abbreviations',
                         'ne diffère que par la ponctuation, les espaces ou les abréviations'),
    'street_short_form': ('same street, given names left out or abbreviated',
                          'même rue, prénoms omis ou abrégés'),
    'abbreviated': ('same words, some abbreviated',
                    'mêmes mots, certains abrégés'),
    'order_only': ('same values in another order',
                   'mêmes valeurs dans un autre ordre'),
    'housenumber_suffix': ('same number, suffix written differently ({city} / {osm})',
                           'même numéro, suffixe écrit différemment ({city} / {osm})'),
    'phone_unparsed': ('some phone numbers could not be read as E.164: compared as text',
                       "certains numéros n'ont pas pu être lus au format E.164 : comparés comme texte"),
    'lifecycle': ('the city marks the place closed; keep the OSM object with a lifecycle prefix rather than deleting '
                  'it',
                  "la ville indique le lieu fermé ; garder l'objet OSM avec un préfixe de cycle de vie plutôt que le "
                  'supprimer'),
    'osm_lifecycle': ('OSM marks it as no longer active: {tag}',
                      "OSM l'indique comme plus en activité : {tag}"),
    'create': ("no OSM counterpart: create it with the city's tags",
               "pas d'équivalent OSM : le créer avec les attributs de la ville"),
    'tag_note': ('{key}: {note}',
                 '{key} : {note}'),
    'candidate_for_city': ('in OSM only: a candidate for the city dataset',
                           'seulement dans OSM : candidat pour le jeu de données de la ville'),
    'ambiguous': ('the matcher could not decide; candidates: {candidates}',
                  "l'appariement n'a pas pu trancher ; candidats : {candidates}"),
    'duplicate': ('duplicate of {candidates}',
                  'doublon de {candidates}'),
    'position': ('{distance_m:.0f} m apart (drift threshold {threshold_m:.0f} m)',
                 "{distance_m:.0f} m d'écart (seuil de décalage {threshold_m:.0f} m)"),
    'osm_alias': ('OSM holds this under {key}',
                  "OSM l'enregistre sous {key}"),
    'city_reference': ('the mapping makes the city the reference for this tag',
                       'la correspondance fait de la ville la référence pour cet attribut'),
    'base_partial': ('state at the last sync known for one side only',
                     "état à la dernière synchronisation connu d'un seul côté"),
    'text': ('{text}',
             '{text}'),
    'lifecycle_key_taken': ('OSM already has {key}={value}: moving the main key there would overwrite it',
                            "OSM a déjà {key}={value} : y déplacer la clé principale l'écraserait"),
    'possible_duplicate': ('not proposed for creation: OSM already has an object of this kind within the match '
                           'distance ({candidates}); check whether it is this place',
                           "création non proposée : OSM a déjà un objet de ce type à distance d'appariement "
                           "({candidates}) ; vérifier s'il s'agit de ce lieu"),
    'near_dropped': ('{key} could not be read whole from the OSM data ({reason}): check it in OSM',
                     "{key} n'a pas pu être lu en entier dans les données OSM ({reason}) : le vérifier dans OSM"),
    'twin_far': ('OSM has {key} with the same name and address {distance_m:.0f} m away: one of the positions is wrong',
                 "OSM a {key} avec le même nom et la même adresse à {distance_m:.0f} m : l'une des positions est "
                 'fausse'),
    'invalid_text': ('city value not valid for OSM: {key}={value!r} (empty, over 255 characters, or control '
                     'characters)',
                     'valeur de la ville non valable pour OSM : {key}={value!r} (vide, plus de 255 caractères, ou '
                     'caractères de contrôle)'),
    'invalid_phone': ('city value not valid for OSM: {key}={value!r} is not a valid phone number',
                      "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas un numéro de téléphone "
                      'valable'),
    'invalid_email': ('city value not valid for OSM: {key}={value!r} is not an e-mail address',
                      "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas une adresse e-mail"),
    'invalid_url': ('city value not valid for OSM: {key}={value!r} is not a full web address (http/https)',
                    "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas une adresse web complète "
                    '(http/https)'),
    'invalid_housenumber': ('city value not valid for OSM: {key}={value!r} is not a house number',
                            "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas un numéro de rue"),
    'invalid_postcode': ('city value not valid for OSM: {key}={value!r} is not a postcode of the country',
                         "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas un code postal du pays"),
    'invalid_opening_hours': ('city value not valid for OSM: {key}={value!r} is not opening_hours syntax',
                              "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas dans la syntaxe "
                              'opening_hours'),
    'invalid_number': ('city value not valid for OSM: {key}={value!r} is not a number of the expected kind',
                       "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas un nombre du type attendu"),
    'invalid_choice': ('city value not valid for OSM: {key}={value!r} is not one of the values OSM uses',
                       'valeur de la ville non valable pour OSM : {key}={value!r} ne fait pas partie des valeurs '
                       "d'OSM"),
    'invalid_identifier': ('city value not valid for OSM: {key}={value!r} is not an identifier of the expected form',
                           "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas un identifiant de la "
                           'forme attendue'),
    'invalid_value': ('city value not valid for OSM: {key}={value!r}, which the mapping could not convert',
                      "valeur de la ville non valable pour OSM : {key}={value!r}, que la correspondance n'a pas pu "
                      'convertir'),
    'base_new_pair': ('neither place was linked at the last sync: nothing says which side changed',
                      "aucun des deux lieux n'était lié à la dernière synchronisation : rien ne dit quel côté a "
                      'changé'),
    'base_no_position': ('no position kept for these places at the last sync: nothing says which one moved',
                         'pas de position gardée pour ces lieux à la dernière synchronisation : rien ne dit lequel a '
                         'bougé'),
    'link_lost': ('linked to {key} at the last sync, which is no longer there',
                  "lié à {key} à la dernière synchronisation, qui n'y est plus"),
    'link_changed': ('linked to {key} at the last sync, which is still there but no longer linked: check both',
                     'lié à {key} à la dernière synchronisation, toujours présent mais plus lié : vérifier les deux'),
    # Datasets with several producers (osmbridge/diff/producers.py).
    'producers_disagree': ('{holder} holds this field and says {holder_value!r}; {other} says {value!r}',
                           '{holder} détient ce champ et indique {holder_value!r} ; {other} indique {value!r}'),
    'producers_osm_agrees': ('OSM agrees with {other}: check which is right before correcting either',
                             "OSM est d'accord avec {other} : vérifier qui a raison avant de corriger"),
    'producers_osm_other': ('OSM says something else again: {value!r}',
                            'OSM indique encore autre chose : {value!r}'),
    'held_by': ('value of {producer}, which holds this field (the place is also listed by {others})',
                'valeur de {producer}, qui détient ce champ (lieu aussi listé par {others})'),
    'also_listed_by': ('also listed by {producers}', 'aussi listé par {producers}'),
    'closure_disputed': ('{producer} lists it closed, {others} still open: check on the ground before closing '
                         'it in OSM',
                         '{producer} le donne fermé, {others} encore ouvert : vérifier sur place avant de le fermer '
                         'dans OSM'),
}

# Explanations of the matcher.
MATCH_NOTES: dict[str, tuple[str, str]] = {
    "ref": ("linked by {key}={value}", "lié par {key}={value}"),
    "ref_far": ("linked by {key}={value} although {distance:.0f} m apart",
                "lié par {key}={value} malgré {distance:.0f} m d'écart"),
    "ref_type": ("linked by {key}={value} although OSM tags it as another kind of place",
                 "lié par {key}={value} bien qu'OSM le décrive comme un autre type de lieu"),
    "ref_duplicate": ("{others} also carry {key}={value}", "{others} portent aussi {key}={value}"),
    "decision_same": ("linked by a person's decision{by}", "lié par décision humaine{by}"),
    "decision_none": ("no OSM counterpart, by a person's decision{by}",
                      "pas d'équivalent OSM, par décision humaine{by}"),
    "decision_stale": ("earlier decision '{verdict}'{by} ignored: {why}",
                       "décision précédente « {verdict} »{by} ignorée : {why}"),
    "decision_taken": ("decision '{verdict}'{by} ignored: {osm} is linked to {other} by another decision",
                       "décision « {verdict} »{by} ignorée : {osm} est lié à {other} par une autre décision"),
    "by_author_date": (" by {author} on {date}", " par {author} le {date}"),
    "by_author": (" by {author}", " par {author}"),
    "by_date": (" on {date}", " le {date}"),
    "verdict_same": ("same place", "même lieu"),
    "verdict_not_same": ("not the same place", "pas le même lieu"),
    "verdict_no_counterpart": ("no counterpart", "pas d'équivalent"),
    "why_city_changed": ("the city record changed since", "la fiche de la ville a changé depuis"),
    "why_osm_gone": ("{osm} is no longer in OSM data of a matching type",
                     "{osm} n'est plus dans les données OSM de type compatible"),
    "why_osm_changed": ("{osm} changed in OSM since", "{osm} a changé dans OSM depuis"),
    "close_call": ("{best} and {rival} fit nearly as well (margin {margin:.1f})",
                   "{best} et {rival} conviennent presque autant (écart {margin:.1f})"),
    "contested": ("city record {rival} fits {best} nearly as well (margin {margin:.1f})",
                  "la fiche {rival} correspond presque autant à {best} (écart {margin:.1f})"),
    "shared_candidate": ("{best} fits this record and city record {rival} nearly as well: please decide for both",
                         "{best} correspond presque autant à cette fiche et à la fiche {rival} : à trancher pour les "
                         "deux"),
    "weak": ("best candidate {best} is a weak fit (score {score:.2f}): please check",
             "le meilleur candidat {best} correspond mal (score {score:.2f}) : à vérifier"),
    "nearest_taken": ("nearest candidate {best} is linked to {other}",
                      "le candidat le plus proche {best} est lié à {other}"),
    "no_candidate": ("no OSM place of a matching type within {radius:.0f} m",
                     "aucun lieu OSM de type compatible à moins de {radius:.0f} m"),
    "city_duplicate": ("same place as city record {twin}{detail}", "même lieu que la fiche {twin}{detail}"),
    "osm_duplicate": ("same place as {twin}{detail}", "même lieu que {twin}{detail}"),
    "evidence": ("{detail}", "{detail}"),
    'lone': (
        'the only candidate within {radius:.0f} m, {distance:.0f} m away: its name decided',
        'seul candidat à moins de {radius:.0f} m, à {distance:.0f} m : son nom a décidé',
    ),
    'isolated': (
        'names differ, but {best} is the only place of its kind within {radius:.0f} m and such places are '
        'sparse here (chance would put {expected:.3f} within {distance:.0f} m)',
        'noms différents, mais {best} est le seul lieu de ce type à moins de {radius:.0f} m et ces lieux sont '
        'rares ici (le hasard en placerait {expected:.3f} à moins de {distance:.0f} m)',
    ),
    'name_veto': (
        '{best} is the only candidate but its name differs and places of its kind are common here (chance would'
        ' put {expected:.2f} within {distance:.0f} m)',
        '{best} est le seul candidat mais son nom diffère et ce type de lieu est courant ici (le hasard en '
        'placerait {expected:.2f} à moins de {distance:.0f} m)',
    ),
    'far_same_name': (
        '{best} bears the same name, {distance:.0f} m away (beyond {radius:.0f} m): please check',
        '{best} porte le même nom, à {distance:.0f} m (au-delà de {radius:.0f} m) : à vérifier',
    ),
    "via_producer": ("linked to {osm} through {producer}'s record {record}",
                     "lié à {osm} par la fiche {record} de {producer}"),
}
