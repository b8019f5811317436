"""Static content of the demonstration data set (``manage.py seed_demo``).

Real commune / EPCI / PNR names with plausible coordinates (WGS 84, rounded): only the
ateliers, people and roadmaps attached to them are invented, and every one of them is
marked as demonstration content.
"""

from ateliers.formats import Format

# fmt: off
# (nom, nature, code région, codes départements, lat, lon, population, perimètre ?)
TERRITOIRES: list[tuple[str, str, str, tuple[str, ...], float, float, int, bool]] = [
    # Bretagne — the four ateliers of the demo accounts (DDTM des Côtes-d'Armor)
    ("Quintin", "commune", "53", ("22",), 48.403, -2.911, 2_800, True),
    ("Saint-Brieuc Armor Agglomération", "epci", "53", ("22",), 48.514, -2.765, 151_000, True),
    ("Loudéac Communauté Bretagne Centre", "epci", "53", ("22",), 48.178, -2.754, 51_000, False),
    ("Lannion-Trégor Communauté", "epci", "53", ("22",), 48.732, -3.456, 100_000, False),
    ("Pays de Morlaix", "petr", "53", ("29",), 48.577, -3.828, 130_000, False),
    ("Parc naturel régional du Golfe du Morbihan", "pnr", "53", ("56",), 47.600, -2.750, 170_000, True),
    # Normandie
    ("Communauté de communes Cœur Côte Fleurie", "epci", "28", ("14",), 49.356, 0.075, 20_000, False),
    ("Parc naturel régional des Marais du Cotentin et du Bessin", "pnr", "28", ("50", "14"), 49.300, -1.250, 75_000, False),
    ("Fécamp Caux Littoral Agglomération", "epci", "28", ("76",), 49.757, 0.375, 39_000, False),
    # Hauts-de-France
    ("Communauté d'agglomération du Boulonnais", "epci", "32", ("62",), 50.726, 1.614, 114_000, False),
    ("Saint-Quentin", "commune", "32", ("02",), 49.848, 3.287, 53_000, False),
    ("Parc naturel régional de l'Avesnois", "pnr", "32", ("59",), 50.130, 3.920, 150_000, True),
    # Grand Est
    ("Communauté de communes de la Vallée de la Bruche", "epci", "44", ("67",), 48.460, 7.200, 22_000, False),
    ("Bar-le-Duc", "commune", "44", ("55",), 48.773, 5.160, 15_000, False),
    ("Parc naturel régional de la Montagne de Reims", "pnr", "44", ("51",), 49.140, 4.030, 35_000, False),
    # Île-de-France
    ("Grand Paris Sud Seine-Essonne-Sénart", "epci", "11", ("91", "77"), 48.620, 2.450, 350_000, False),
    ("Communauté d'agglomération du Pays de Fontainebleau", "epci", "11", ("77",), 48.404, 2.701, 68_000, False),
    # Centre-Val de Loire
    ("Vierzon", "commune", "24", ("18",), 47.222, 2.069, 25_000, False),
    ("Parc naturel régional Loire-Anjou-Touraine", "pnr", "24", ("37", "49"), 47.250, 0.150, 200_000, False),
    ("Communauté de communes Touraine Vallée de l'Indre", "epci", "24", ("37",), 47.260, 0.550, 54_000, False),
    # Bourgogne-Franche-Comté
    ("Parc naturel régional du Morvan", "pnr", "27", ("58", "21", "71", "89"), 47.200, 4.000, 70_000, True),
    ("Pays de Montbéliard Agglomération", "epci", "27", ("25",), 47.510, 6.800, 140_000, False),
    ("Communauté de communes Haut-Jura Saint-Claude", "epci", "27", ("39",), 46.387, 5.864, 22_000, False),
    # Pays de la Loire
    ("Saint-Nazaire Agglomération", "epci", "52", ("44",), 47.273, -2.214, 127_000, False),
    ("Pays de Château-Gontier", "epci", "52", ("53",), 47.828, -0.702, 31_000, False),
    ("L'Île-d'Yeu", "commune", "52", ("85",), 46.710, -2.350, 4_900, False),
    # Nouvelle-Aquitaine
    ("Communauté d'agglomération de La Rochelle", "epci", "75", ("17",), 46.160, -1.150, 172_000, False),
    ("Parc naturel régional des Landes de Gascogne", "pnr", "75", ("40", "33"), 44.300, -0.800, 75_000, False),
    ("Communauté de communes Creuse Sud-Ouest", "epci", "75", ("23",), 45.950, 1.760, 14_000, False),
    ("Périgueux", "commune", "75", ("24",), 45.184, 0.721, 30_000, False),
    # Occitanie
    ("Parc naturel régional des Grands Causses", "pnr", "76", ("12",), 44.100, 3.080, 68_000, True),
    ("Sète Agglopôle Méditerranée", "epci", "76", ("34",), 43.404, 3.693, 126_000, False),
    ("Figeac", "commune", "76", ("46",), 44.609, 2.032, 9_800, False),
    ("Communauté de communes Pyrénées Haut-Garonnaises", "epci", "76", ("31",), 42.790, 0.600, 17_000, False),
    # Auvergne-Rhône-Alpes
    ("Parc naturel régional du Vercors", "pnr", "84", ("38", "26"), 45.050, 5.450, 53_000, False),
    ("Communauté de communes de la Vallée de Chamonix-Mont-Blanc", "epci", "84", ("74",), 45.924, 6.870, 13_000, False),
    ("Saint-Flour Communauté", "epci", "84", ("15",), 45.034, 3.093, 24_000, False),
    ("Vienne Condrieu Agglomération", "epci", "84", ("38", "69"), 45.525, 4.874, 90_000, False),
    # Provence-Alpes-Côte d'Azur
    ("Parc naturel régional du Luberon", "pnr", "93", ("84", "04"), 43.850, 5.400, 180_000, False),
    ("Provence Alpes Agglomération", "epci", "93", ("04",), 44.090, 6.240, 47_000, False),
    ("Briançon", "commune", "93", ("05",), 44.897, 6.636, 11_000, False),
    # Corse
    ("Communauté de communes Calvi Balagne", "epci", "94", ("2B",), 42.567, 8.757, 12_000, False),
    # Outre-mer
    ("Cap Excellence", "epci", "01", ("971",), 16.240, -61.530, 100_000, False),
    ("Communauté d'agglomération du Centre Littoral", "epci", "03", ("973",), 4.930, -52.330, 135_000, False),
    ("Communauté intercommunale du Nord de La Réunion", "epci", "04", ("974",), -20.900, 55.480, 205_000, False),
]

# Reference members of the demo territories (INSEE code of a commune, SIREN of an EPCI):
# their départements, région, population, perimeter and point are derived from the COG when
# it is loaded.
MEMBRES: dict[str, tuple[str, ...]] = {
    "Quintin": ("22262",),
    "Saint-Brieuc Armor Agglomération": ("200069409",),
    "Loudéac Communauté Bretagne Centre": ("200067460",),
    "Lannion-Trégor Communauté": ("200065928",),
    "Pays de Morlaix": ("242900835", "200067072", "242900751"),
    "Communauté de communes Cœur Côte Fleurie": ("241400415",),
    "Fécamp Caux Littoral Agglomération": ("200069821",),
    "Communauté d'agglomération du Boulonnais": ("246200729",),
    "Saint-Quentin": ("02691",),
    "Communauté de communes de la Vallée de la Bruche": ("246700306",),
    "Bar-le-Duc": ("55029",),
    "Grand Paris Sud Seine-Essonne-Sénart": ("200059228",),
    "Communauté d'agglomération du Pays de Fontainebleau": ("200072346",),
    "Vierzon": ("18279",),
    "Communauté de communes Touraine Vallée de l'Indre": ("200072650",),
    "Pays de Montbéliard Agglomération": ("200065647",),
    "Communauté de communes Haut-Jura Saint-Claude": ("200026573",),
    "Saint-Nazaire Agglomération": ("244400644",),
    "Pays de Château-Gontier": ("245300447",),
    "L'Île-d'Yeu": ("85113",),
    "Communauté d'agglomération de La Rochelle": ("241700434",),
    "Communauté de communes Creuse Sud-Ouest": ("200067189",),
    "Périgueux": ("24322",),
    "Sète Agglopôle Méditerranée": ("200066355",),
    "Figeac": ("46102",),
    "Communauté de communes Pyrénées Haut-Garonnaises": ("200072635",),
    "Communauté de communes de la Vallée de Chamonix-Mont-Blanc": ("200023372",),
    "Saint-Flour Communauté": ("200066660",),
    "Vienne Condrieu Agglomération": ("200077014",),
    "Provence Alpes Agglomération": ("200067437",),
    "Briançon": ("05023",),
    "Communauté de communes Calvi Balagne": ("242020105",),
    "Cap Excellence": ("200018653",),
    "Communauté d'agglomération du Centre Littoral": ("249730045",),
    "Communauté intercommunale du Nord de La Réunion": ("249740119",),
    # The ten PNR, as their charters do, by member communes (the derived perimeter is the
    # union of their contours). How chosen: for each park, 13 to 23 communes that its
    # charter lists — the park's towns and emblematic villages across each of its
    # départements, as remembered from the published charters (not the full lists, which
    # run from 50 to 200 communes) — each name resolved to its INSEE code in the shipped
    # COG 2026 within the park's départements; a name the COG no longer has (a commune
    # merged since the charter) was left out rather than guessed.
    "Parc naturel régional du Golfe du Morbihan": (
        "56003", "56005", "56008", "56262", "56087", "56088", "56106", "56084", "56116", "56167",
        "56205", "56214", "56233", "56240", "56243", "56248", "56251", "56260", "56007", "56164",
        "56176", "56252",
    ),
    "Parc naturel régional des Marais du Cotentin et du Bessin": (
        "50099", "50523", "50394", "50236", "50267", "14342", "50509", "50400", "50551", "50289",
        "50216", "50488", "50151",
    ),
    "Parc naturel régional de l'Avesnois": (
        "59036", "59384", "59331", "59249", "59601", "59525", "59347", "59555", "59572", "59481",
        "59053", "59226", "59012", "59659", "59218", "59134",
    ),
    "Parc naturel régional de la Montagne de Reims": (
        "51287", "51613", "51614", "51079", "51007", "51461", "51152", "51333", "51338", "51636",
        "51580", "51266", "51623", "51119", "51030", "51392", "51028", "51256", "51393", "51445",
        "51532", "51629",
    ),
    "Parc naturel régional Loire-Anjou-Touraine": (
        "37072", "37042", "49219", "49140", "49328", "37031", "37014", "37123", "37272", "37243",
        "37197", "37011", "37022", "37118", "49358", "49235", "49261",
    ),
    "Parc naturel régional du Morvan": (
        "58062", "58235", "58145", "58180", "58205", "58185", "58210", "58128", "58246", "21584",
        "21349", "89446", "89318", "89349", "71009", "71223", "71376", "71472",
    ),
    "Parc naturel régional des Landes de Gascogne": (
        "40246", "33042", "33498", "40227", "40167", "40200", "40085", "40134", "40319", "40295",
        "40307", "40060", "33029", "33202", "33436", "33260", "33284", "33527", "33051", "33555",
        "33484", "33068",
    ),
    "Parc naturel régional des Grands Causses": (
        "12145", "12208", "12203", "12168", "12220", "12063", "12115", "12082", "12180", "12084",
        "12070", "12244", "12025", "12044", "12231", "12077", "12225", "12200", "12160",
    ),
    "Parc naturel régional du Vercors": (
        "38548", "38205", "38225", "38129", "38433", "38153", "38186", "38319", "38108", "38333",
        "26074", "26364", "26290", "26315", "26309", "26307", "26113", "26086", "26163", "26059",
    ),
    "Parc naturel régional du Luberon": (
        "84003", "84020", "84050", "84102", "84068", "84073", "84058", "84042", "84002", "84026",
        "84065", "84086", "84105", "84023", "84128", "84051", "84089", "84144", "04088", "04112",
        "04160", "04208",
    ),
}

SESSION_SOLS = ("mieux-amenager-avec-des-sols-vivants-2021", 2021)
SESSION_PRODUCTIFS = ("amenagement-territoires-productifs-et-creation-de-valeurs-2023", 2023)

# One atelier per territory: (territoire, format, session slug or None, statut, année,
# date_debut as (year, month) or a month offset from the current month (int), publié ?)
# The four Bretagne ateliers of the demo accounts come first.
ATELIERS: list[tuple[str, str, str | None, str, int | None, tuple[int, int] | int, bool]] = [
    ("Quintin", Format.LOCAL, None, "restitue", None, -12, True),
    ("Saint-Brieuc Armor Agglomération", Format.MULTISITE, SESSION_PRODUCTIFS[0], "en_mise_en_oeuvre", 2023, (2023, 10), True),
    ("Loudéac Communauté Bretagne Centre", Format.FLASH, None, "en_cours", None, -2, True),
    ("Lannion-Trégor Communauté", Format.LOCAL, None, "en_preparation", None, 2, False),
    # Multisite « Mieux aménager avec des sols vivants » (2021–2022)
    ("Parc naturel régional du Golfe du Morbihan", Format.MULTISITE, SESSION_SOLS[0], "clos", 2021, (2021, 11), True),
    ("Parc naturel régional de l'Avesnois", Format.MULTISITE, SESSION_SOLS[0], "clos", 2021, (2021, 11), True),
    ("Grand Paris Sud Seine-Essonne-Sénart", Format.MULTISITE, SESSION_SOLS[0], "en_mise_en_oeuvre", 2021, (2021, 12), True),
    ("Vienne Condrieu Agglomération", Format.MULTISITE, SESSION_SOLS[0], "en_mise_en_oeuvre", 2021, (2022, 1), True),
    ("Parc naturel régional des Grands Causses", Format.MULTISITE, SESSION_SOLS[0], "clos", 2021, (2021, 11), True),
    ("Pays de Montbéliard Agglomération", Format.MULTISITE, SESSION_SOLS[0], "en_mise_en_oeuvre", 2021, (2022, 1), True),
    ("Communauté d'agglomération de La Rochelle", Format.MULTISITE, SESSION_SOLS[0], "clos", 2021, (2021, 12), True),
    # Multisite « Aménagement, territoires productifs et création de valeurs » (2023)
    ("Fécamp Caux Littoral Agglomération", Format.MULTISITE, SESSION_PRODUCTIFS[0], "en_mise_en_oeuvre", 2023, (2023, 11), True),
    ("Communauté d'agglomération du Boulonnais", Format.MULTISITE, SESSION_PRODUCTIFS[0], "restitue", 2023, (2023, 11), True),
    ("Saint-Nazaire Agglomération", Format.MULTISITE, SESSION_PRODUCTIFS[0], "en_mise_en_oeuvre", 2023, (2023, 10), True),
    ("Communauté de communes de la Vallée de la Bruche", Format.MULTISITE, SESSION_PRODUCTIFS[0], "restitue", 2023, (2023, 12), True),
    ("Pays de Château-Gontier", Format.MULTISITE, SESSION_PRODUCTIFS[0], "en_mise_en_oeuvre", 2023, (2023, 11), True),
    ("Sète Agglopôle Méditerranée", Format.MULTISITE, SESSION_PRODUCTIFS[0], "clos", 2023, (2023, 10), True),
    # Local (à la carte)
    ("Pays de Morlaix", Format.LOCAL, None, "en_cours", None, -5, True),
    ("Parc naturel régional des Marais du Cotentin et du Bessin", Format.LOCAL, None, "en_mise_en_oeuvre", 2022, (2022, 9), True),
    ("Saint-Quentin", Format.LOCAL, None, "clos", 2022, (2022, 3), True),
    ("Parc naturel régional de la Montagne de Reims", Format.LOCAL, None, "en_cours", None, -7, True),
    ("Vierzon", Format.LOCAL, None, "en_mise_en_oeuvre", 2024, (2024, 2), True),
    ("Parc naturel régional du Morvan", Format.LOCAL, None, "restitue", None, -13, True),
    ("Parc naturel régional des Landes de Gascogne", Format.LOCAL, None, "en_cours", None, -3, True),
    ("Communauté de communes de la Vallée de Chamonix-Mont-Blanc", Format.LOCAL, None, "en_mise_en_oeuvre", 2024, (2024, 4), True),
    ("Parc naturel régional du Luberon", Format.LOCAL, None, "en_preparation", None, 1, False),
    ("Cap Excellence", Format.LOCAL, None, "en_cours", None, -4, True),
    ("Communauté intercommunale du Nord de La Réunion", Format.LOCAL, None, "clos", 2023, (2023, 3), True),
    ("Parc naturel régional Loire-Anjou-Touraine", Format.LOCAL, None, "en_preparation", None, 3, False),
    # Flash (à la carte)
    ("Communauté de communes Cœur Côte Fleurie", Format.FLASH, None, "clos", 2023, (2023, 5), True),
    ("Bar-le-Duc", Format.FLASH, None, "en_mise_en_oeuvre", 2024, (2024, 9), True),
    ("Communauté d'agglomération du Pays de Fontainebleau", Format.FLASH, None, "restitue", None, -5, True),
    ("Communauté de communes Touraine Vallée de l'Indre", Format.FLASH, None, "en_cours", None, -1, True),
    ("Communauté de communes Haut-Jura Saint-Claude", Format.FLASH, None, "clos", 2024, (2024, 3), True),
    ("L'Île-d'Yeu", Format.FLASH, None, "en_preparation", None, 1, False),
    ("Communauté de communes Creuse Sud-Ouest", Format.FLASH, None, "en_cours", None, -2, True),
    ("Périgueux", Format.FLASH, None, "restitue", None, -6, True),
    ("Figeac", Format.FLASH, None, "en_mise_en_oeuvre", 2025, (2025, 2), True),
    ("Communauté de communes Pyrénées Haut-Garonnaises", Format.FLASH, None, "en_preparation", None, 2, False),
    ("Parc naturel régional du Vercors", Format.FLASH, None, "clos", 2023, (2023, 9), True),
    ("Saint-Flour Communauté", Format.FLASH, None, "en_cours", None, -1, False),
    ("Provence Alpes Agglomération", Format.FLASH, None, "restitue", None, -5, True),
    ("Briançon", Format.FLASH, None, "en_mise_en_oeuvre", 2025, (2025, 1), True),
    ("Communauté de communes Calvi Balagne", Format.FLASH, None, "en_cours", None, -2, True),
    ("Communauté d'agglomération du Centre Littoral", Format.FLASH, None, "en_preparation", None, 1, False),
]
# fmt: on

THEME_LITTORAL = "Adaptation du littoral au recul du trait de côte"
THEME_MONTAGNE = "Transition énergétique des vallées de montagne"
LITTORAUX = {
    "Saint-Brieuc Armor Agglomération", "Lannion-Trégor Communauté", "Pays de Morlaix",
    "Parc naturel régional du Golfe du Morbihan", "Communauté de communes Cœur Côte Fleurie",
    "Parc naturel régional des Marais du Cotentin et du Bessin",
    "Fécamp Caux Littoral Agglomération", "Communauté d'agglomération du Boulonnais",
    "Saint-Nazaire Agglomération", "L'Île-d'Yeu", "Communauté d'agglomération de La Rochelle",
    "Sète Agglopôle Méditerranée", "Communauté de communes Calvi Balagne", "Cap Excellence",
    "Communauté d'agglomération du Centre Littoral",
    "Communauté intercommunale du Nord de La Réunion",
}  # fmt: skip
MONTAGNES = {
    "Communauté de communes de la Vallée de la Bruche", "Communauté de communes Haut-Jura Saint-Claude",
    "Communauté de communes Pyrénées Haut-Garonnaises", "Parc naturel régional du Vercors",
    "Communauté de communes de la Vallée de Chamonix-Mont-Blanc", "Saint-Flour Communauté",
    "Provence Alpes Agglomération", "Briançon",
}  # fmt: skip

THEMES = [
    "Revitalisation du centre-bourg et sobriété foncière",
    THEME_LITTORAL,
    "Sols vivants, trame verte et renaturation des espaces artificialisés",
    "Tourisme durable et mobilités de loisirs",
    "Économie productive, friches et zones d'activités",
    "Ressource en eau et agriculture de demain",
    THEME_MONTAGNE,
    "Mobilités du quotidien entre bourgs et agglomération",
]

PRENOMS = [
    "Camille",
    "Claire",
    "Julien",
    "Sophie",
    "Thomas",
    "Élodie",
    "Nicolas",
    "Anne",
    "Pierre",
    "Marie",
    "Laurent",
    "Nathalie",
    "Yann",
    "Gaëlle",
    "François",
    "Isabelle",
    "Mathieu",
    "Hélène",
    "Olivier",
    "Sandrine",
    "Romain",
    "Céline",
    "Antoine",
    "Lucie",
    "Karim",
    "Aurélie",
    "Benoît",
    "Manon",
    "Hugo",
    "Léa",
]
NOMS = [
    "Martin",
    "Bernard",
    "Le Gall",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Le Bihan",
    "Blanc",
    "Guérin",
    "Boyer",
    "Chevalier",
    "Faure",
    "Rousseau",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Perrin",
    "Morin",
    "Nicolas",
    "Henry",
    "Lambert",
]
AGENCES = [
    "Atelier Georges (démo)",
    "Agence Ter & Sols (démo)",
    "Collectif Paysages Communs (démo)",
    "Urbanisme & Territoires Associés (démo)",
    "Atelier du Bocage (démo)",
    "Agence Horizons Littoraux (démo)",
]

# Axes and actions of the demo roadmaps: (axe, description, [(action, description, porteur
# kind, cost in euros, [(funder, label, amount, status)])]). "collectivite" / "etat" /
# "operateur" refer to the organisations created for each territory. Funders and statuses are
# codes of feuilles_de_route.models.Financeur / StatutFinancement; each status appears. The
# texts they read as (« Région », « État — contrat de plan », « Anah ») are those of the
# versions recorded before funding had a status (tests/public/fixtures/api_reponses.json).
AXES = [
    (
        "Reconquérir les centralités",
        "Remettre l'habitat, le commerce et les services au cœur des bourgs plutôt qu'en extension.",
        [
            (
                "Étude de programmation de l'îlot de la halle",
                "Définir un programme mixte (logements, commerces, tiers-lieu) sur l'îlot vacant.",
                "collectivite",
                60_000,
                [
                    ("autre", "Fonds vert — renaturation et recyclage foncier", 36_000, "acquis"),
                    ("autre", "Collectivité", 24_000, "acquis"),
                ],
            ),
            (
                "Opération programmée d'amélioration de l'habitat",
                "Accompagner la rénovation des logements vacants du centre.",
                "collectivite",
                450_000,
                [
                    ("autre", "Anah", 270_000, "demande"),
                    ("autre", "Collectivité", 180_000, "envisage"),
                ],
            ),
        ],
    ),
    (
        "Faire des sols et de l'eau une ressource",
        "Préserver les sols vivants, désimperméabiliser, gérer l'eau à la parcelle.",
        [
            (
                "Désimperméabilisation des cours d'école",
                "Transformer trois cours d'école en îlots de fraîcheur perméables.",
                "collectivite",
                320_000,
                [
                    ("agence_de_l_eau", "", 160_000, "acquis"),
                    ("autre", "DETR", 96_000, "demande"),
                    ("autre", "Collectivité", 64_000, "envisage"),
                ],
            ),
            (
                "Inventaire des friches et de leur potentiel",
                "Recenser les friches, qualifier leurs sols et prioriser leur reconversion.",
                "operateur",
                40_000,
                [("autre", "Cerema — appui méthodologique", 40_000, "acquis")],
            ),
            (
                "Plan de gestion des haies et des zones humides",
                "Un programme pluriannuel de replantation et d'entretien avec les agriculteurs.",
                "collectivite",
                85_000,
                [("region", "", 42_500, "demande"), ("autre", "Collectivité", 42_500, "envisage")],
            ),
        ],
    ),
    (
        "Relier les lieux de vie",
        "Des mobilités du quotidien sobres entre bourgs, gares et zones d'emploi.",
        [
            (
                "Schéma directeur cyclable intercommunal",
                "Mailler les bourgs et la gare par un réseau cyclable continu.",
                "collectivite",
                75_000,
                [
                    ("ademe", "", 37_500, "acquis"),
                    ("autre", "Collectivité", 37_500, "acquis"),
                ],
            ),
            (
                "Pôle d'échanges de la gare",
                "Réaménager le parvis, le stationnement vélo et les correspondances de cars.",
                "etat",
                1_200_000,
                [
                    ("etat", "contrat de plan", 480_000, "demande"),
                    ("region", "", 480_000, "demande"),
                    ("autre", "Collectivité", 240_000, "envisage"),
                ],
            ),
        ],
    ),
]

# Draft roadmaps only (never signed, never in the API): a line asked of Europe takes the
# cycling plan's acquired and requested funding over its cost, so the warning is seen.
DEPASSEMENT = ("Schéma directeur cyclable intercommunal", ("europe", "FEDER", 15_000, "demande"))

SITES = [
    (
        "Friche de l'ancienne laiterie",
        "Site de reconversion : activités productives et renaturation.",
    ),
    ("Îlot de la halle", "Cœur de bourg à réinvestir : logements, commerces, tiers-lieu."),
    (
        "Vallon et prairies humides",
        "Continuité écologique et gestion de l'eau à l'échelle du bassin versant.",
    ),
]

JOURNAL = [
    "**Réunion de cadrage** avec les élus et la DDT : calendrier validé, périmètre confirmé.\n\n"
    "- liste des invités du séminaire de lancement arrêtée ;\n- visite de terrain à organiser.",
    "Retour sur l'**atelier de prise de connaissance** : forte mobilisation des habitants, "
    "le rapport d'étonnement de l'équipe pointe la vacance en centre-bourg et les sols "
    "agricoles sous pression.",
    "Préparation de l'**atelier de consolidation** : trois sites démonstrateurs proposés, "
    "à confirmer avec les maires concernés. _Penser à inviter la chambre d'agriculture._",
    "La **feuille de route** circule pour relecture ; les financements de l'axe 2 restent à "
    "confirmer avec l'agence de l'eau.",
]

CRITERES = [
    "Portage politique et implication des élus",
    "Pertinence de l'enjeu au regard de la thématique nationale",
    "Échelle et dimension inter-territoriale du projet",
    "Capacité de mobilisation des acteurs locaux et des habitants",
    "Articulation avec les démarches et contrats existants",
]

QUESTIONS = [
    ("Quel est l'enjeu principal d'aménagement de votre territoire ?", "texte_long", [], True),
    (
        "Quelles démarches de planification sont en cours (SCoT, PLUi, PCAET) ?",
        "texte_long",
        [],
        True,
    ),
    ("Échelle du projet", "choix", ["Commune", "Intercommunalité", "Inter-territorial"], True),
    ("Nombre de communes concernées", "nombre", [], True),
    ("Qui portera politiquement la démarche ?", "texte", [], True),
]

PIECES = [
    ("Lettre de candidature signée par l'exécutif", "Signée par le maire ou le président.", True),
    ("Délibération ou courrier d'engagement de la collectivité", "", True),
    ("Avis de la DDT(M) ou de la DREAL", "Courrier ou courriel du service déconcentré.", True),
    ("Carte du périmètre du projet", "PDF ou image, à l'échelle du territoire.", False),
]

# fmt: off
# (territoire candidat, nature, région, département, lat, lon, format, statut, appel)
CANDIDATURES = [
    ("Communauté de communes du Val de Drôme", "epci", "84", "26", 44.757, 4.995, Format.MULTISITE, "brouillon", "ami"),
    ("Concarneau Cornouaille Agglomération", "epci", "53", "29", 47.873, -3.918, Format.MULTISITE, "deposee", "ami"),
    ("Communauté de communes du Pays de Langres", "epci", "44", "52", 47.862, 5.333, Format.MULTISITE, "recevable", "ami"),
    ("Communauté d'agglomération Pays Basque", "epci", "75", "64", 43.483, -1.480, Format.MULTISITE, "en_instruction", "ami"),
    ("Communauté de communes du Clunisois", "epci", "27", "71", 46.434, 4.659, Format.MULTISITE, "en_instruction", "ami"),
    ("Commune de Lodève", "commune", "76", "34", 43.731, 3.319, Format.MULTISITE, "irrecevable", "ami"),
    ("Communauté de communes du Pays de Fayence", "epci", "93", "83", 43.623, 6.694, Format.FLASH, "deposee", "carte"),
    ("Commune de Dieppe", "commune", "28", "76", 49.922, 1.078, Format.LOCAL, "en_instruction", "carte"),
    ("Lannion-Trégor Communauté", "epci", "53", "22", 48.732, -3.456, Format.LOCAL, "retenue", "carte"),
    ("Communauté de communes du Thouarsais", "epci", "75", "79", 46.976, -0.215, Format.FLASH, "non_retenue", "carte"),
]
# fmt: on
