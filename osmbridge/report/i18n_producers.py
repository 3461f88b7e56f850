"""Strings about datasets with several producers (report.html and the web app), in English and French.

Merged into `i18n.STRINGS`, like the page controls' strings.
"""

from __future__ import annotations

PRODUCER_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "kind.producers_disagree": "Producers disagree",
        "producers.title": "Producers and data freshness",
        "producers.help": "Several departments or associations keep this data. A field goes to the producer that "
                          "holds it (the one configured for it, else the most trusted one with a value); their "
                          "disagreements go to both.",
        "producers.producer": "Producer",
        "producers.owner": "Owner",
        "producers.contact": "Contact",
        "producers.licence": "Licence",
        "producers.trust": "Trust",
        "producers.holds": "Holds",
        "producers.records": "Records",
        "producers.matched": "Linked to OSM",
        "producers.linked": "Shared with another producer",
        "producers.agreed": "Fields agreeing with OSM",
        "producers.agreed_of": "of",
        "producers.routed": "Differences routed to it",
        "producers.disagreements": "Disagreements with other producers",
        "producers.data_date": "Data dated",
        "producers.last_change": "Data last changed",
        "producers.unknown": "unknown",
        "producers.none_compared": "nothing to compare",
        "says.title": "Who says what",
        "says.help": "Places several producers list: each one's values beside OSM's. ★ marks the producer holding "
                     "the field; a highlighted value contradicts it. Places where producers disagree come first.",
        "says.osm": "OSM",
        "says.field": "Field",
        "says.more": "more places: see producers.csv",
        "says.none": "No place is listed by two producers.",
        "routed.to": "For:",
        "table.all_producers": "Every producer",
        "file.producers": "Who says what, every place several producers list (producers.csv)",
        "producers.waiting": "Items waiting for it",
        "producers.single": "This dataset has a single source: no producers to compare.",
    },
    "fr": {
        "kind.producers_disagree": "Producteurs en désaccord",
        "producers.title": "Producteurs et fraîcheur des données",
        "producers.help": "Plusieurs services ou associations tiennent ces données. Un champ revient au producteur "
                          "qui le détient (celui désigné pour lui, sinon le plus fiable qui a une valeur) ; leurs "
                          "désaccords vont aux deux.",
        "producers.producer": "Producteur",
        "producers.owner": "Responsable",
        "producers.contact": "Contact",
        "producers.licence": "Licence",
        "producers.trust": "Fiabilité",
        "producers.holds": "Détient",
        "producers.records": "Fiches",
        "producers.matched": "Liées à OSM",
        "producers.linked": "Partagées avec un autre producteur",
        "producers.agreed": "Champs en accord avec OSM",
        "producers.agreed_of": "sur",
        "producers.routed": "Écarts qui lui reviennent",
        "producers.disagreements": "Désaccords avec d’autres producteurs",
        "producers.data_date": "Données datées du",
        "producers.last_change": "Dernier changement des données",
        "producers.unknown": "inconnu",
        "producers.none_compared": "rien à comparer",
        "says.title": "Qui dit quoi",
        "says.help": "Les lieux que plusieurs producteurs listent : les valeurs de chacun à côté de celles d’OSM. ★ "
                     "marque le producteur qui détient le champ ; une valeur surlignée le contredit. Les lieux où "
                     "les producteurs divergent viennent en premier.",
        "says.osm": "OSM",
        "says.field": "Champ",
        "says.more": "autres lieux : voir producers.csv",
        "says.none": "Aucun lieu n’est listé par deux producteurs.",
        "routed.to": "Pour :",
        "table.all_producers": "Tous les producteurs",
        "file.producers": "Qui dit quoi, chaque lieu listé par plusieurs producteurs (producers.csv)",
        "producers.waiting": "Éléments qui l’attendent",
        "producers.single": "Ce jeu de données a une seule source : aucun producteur à comparer.",
    },
}
