"""Notes attached to differences, in English and French (they are shown as is in reports)."""

from __future__ import annotations

_NOTES: dict[str, tuple[str, str]] = {
    "city_hours_raw": ("city opening hours not parseable: shown raw",
                       "horaires de la ville non reconnus : affichés tels quels"),
    "osm_hours_raw": ("OSM opening_hours not parseable: compared as text",
                      "opening_hours OSM non reconnu : comparé comme texte"),
    "city_hours_converted": ("city opening hours converted from {raw!r}",
                             "horaires de la ville convertis depuis {raw!r}"),
    "case_only": ("differs only in upper/lower case", "ne diffère que par les majuscules/minuscules"),
    "accents_only": ("differs only in accents", "ne diffère que par les accents"),
    "punctuation_only": ("differs only in punctuation, spacing or abbreviations",
                         "ne diffère que par la ponctuation, les espaces ou les abréviations"),
    "street_short_form": ("same street, given names left out or abbreviated",
                          "même rue, prénoms omis ou abrégés"),
    "abbreviated": ("same words, some abbreviated", "mêmes mots, certains abrégés"),
    "order_only": ("same values in another order", "mêmes valeurs dans un autre ordre"),
    "housenumber_suffix": ("same number, suffix written differently ({city} / {osm})",
                           "même numéro, suffixe écrit différemment ({city} / {osm})"),
    "phone_unparsed": ("some phone numbers could not be read as E.164: compared as text",
                       "certains numéros n'ont pas pu être lus au format E.164 : comparés comme texte"),
    "lifecycle": ("the city marks the place closed; keep the OSM object with a lifecycle prefix "
                  "rather than deleting it",
                  "la ville indique le lieu fermé ; garder l'objet OSM avec un préfixe de cycle de vie "
                  "plutôt que le supprimer"),
    "lifecycle_key_taken": ("OSM already has {key}={value}: moving the main key there would overwrite it",
                            "OSM a déjà {key}={value} : y déplacer la clé principale l'écraserait"),
    "osm_lifecycle": ("OSM marks it as no longer active: {tag}", "OSM l'indique comme plus en activité : {tag}"),
    "create": ("no OSM counterpart: create it with the city's tags",
               "pas d'équivalent OSM : le créer avec les attributs de la ville"),
    "possible_duplicate": ("not proposed for creation: OSM already has an object of this kind within the match "
                           "distance ({candidates}); check whether it is this place",
                           "création non proposée : OSM a déjà un objet de ce type à distance d'appariement "
                           "({candidates}) ; vérifier s'il s'agit de ce lieu"),
    "near_dropped": ("{key} could not be read whole from the OSM data ({reason}): check it in OSM",
                     "{key} n'a pas pu être lu en entier dans les données OSM ({reason}) : le vérifier dans OSM"),
    "twin_far": ("OSM has {key} with the same name and address {distance_m:.0f} m away: one of the positions is wrong",
                 "OSM a {key} avec le même nom et la même adresse à {distance_m:.0f} m : l'une des positions est "
                 "fausse"),
    "candidate_for_city": ("in OSM only: a candidate for the city dataset",
                           "seulement dans OSM : candidat pour le jeu de données de la ville"),
    "ambiguous": ("the matcher could not decide; candidates: {candidates}",
                  "l'appariement n'a pas pu trancher ; candidats : {candidates}"),
    "duplicate": ("duplicate of {candidates}", "doublon de {candidates}"),
    "position": ("{distance_m:.0f} m apart (drift threshold {threshold_m:.0f} m)",
                 "{distance_m:.0f} m d'écart (seuil de décalage {threshold_m:.0f} m)"),
    "osm_alias": ("OSM holds this under {key}", "OSM l'enregistre sous {key}"),
    "city_reference": ("the mapping makes the city the reference for this tag",
                       "la correspondance fait de la ville la référence pour cet attribut"),
    # A city value unfit for its OSM key: shown with the raw value, never proposed to OSM.
    "invalid_text": ("city value not valid for OSM: {key}={value!r} (empty, over 255 characters, or control "
                     "characters)",
                     "valeur de la ville non valable pour OSM : {key}={value!r} (vide, plus de 255 caractères, "
                     "ou caractères de contrôle)"),
    "invalid_phone": ("city value not valid for OSM: {key}={value!r} is not a valid phone number",
                      "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas un numéro de téléphone "
                      "valable"),
    "invalid_email": ("city value not valid for OSM: {key}={value!r} is not an e-mail address",
                      "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas une adresse e-mail"),
    "invalid_url": ("city value not valid for OSM: {key}={value!r} is not a full web address (http/https)",
                    "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas une adresse web complète "
                    "(http/https)"),
    "invalid_housenumber": ("city value not valid for OSM: {key}={value!r} is not a house number",
                            "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas un numéro de rue"),
    "invalid_postcode": ("city value not valid for OSM: {key}={value!r} is not a postcode of the country",
                         "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas un code postal du pays"),
    "invalid_opening_hours": ("city value not valid for OSM: {key}={value!r} is not opening_hours syntax",
                              "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas dans la syntaxe "
                              "opening_hours"),
    "invalid_number": ("city value not valid for OSM: {key}={value!r} is not a number of the expected kind",
                       "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas un nombre du type attendu"),
    "invalid_choice": ("city value not valid for OSM: {key}={value!r} is not one of the values OSM uses",
                       "valeur de la ville non valable pour OSM : {key}={value!r} ne fait pas partie des valeurs "
                       "d'OSM"),
    "invalid_identifier": ("city value not valid for OSM: {key}={value!r} is not an identifier of the expected form",
                           "valeur de la ville non valable pour OSM : {key}={value!r} n'est pas un identifiant de la "
                           "forme attendue"),
    "invalid_value": ("city value not valid for OSM: {key}={value!r}, which the mapping could not convert",
                      "valeur de la ville non valable pour OSM : {key}={value!r}, que la correspondance n'a pas pu "
                      "convertir"),
    "base_new_pair": ("neither place was linked at the last sync: nothing says which side changed",
                      "aucun des deux lieux n'était lié à la dernière synchronisation : rien ne dit quel côté a "
                      "changé"),
    "base_no_position": ("no position kept for these places at the last sync: nothing says which one moved",
                         "pas de position gardée pour ces lieux à la dernière synchronisation : rien ne dit lequel "
                         "a bougé"),
    "link_lost": ("linked to {key} at the last sync, which is no longer there",
                  "lié à {key} à la dernière synchronisation, qui n'y est plus"),
    "link_changed": ("linked to {key} at the last sync, which is still there but no longer linked: check both",
                     "lié à {key} à la dernière synchronisation, toujours présent mais plus lié : vérifier les deux"),
    "base_partial": ("state at the last sync known for one side only",
                     "état à la dernière synchronisation connu d'un seul côté"),
}


def note(code: str, **values: object) -> str:
    """Return the note `code` as "English / français", with `values` filled in."""
    english, french = _NOTES[code]
    return f"{english.format(**values)} / {french.format(**values)}"


def join_notes(*notes: str) -> str:
    """Return the non-empty notes joined with "; "."""
    return "; ".join(n for n in notes if n)
