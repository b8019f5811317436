"""Reference geography of France: the 18 régions and 101 départements (INSEE codes).

Kept as plain Python constants (no logic, no Django import) so that a data migration, a
management command or a test can load them without a database or network access, and so
that a change to the official list shows up as a reviewable diff.

Codes and names follow the INSEE Code officiel géographique (COG), régions since
2016-01-01. Coordinates are WGS 84 decimal degrees, rounded to about 1 km: they are only
meant to place a marker or centre a map, never for spatial computation.
"""

# (code_insee, nom, lat, lon) — lat/lon: approximate geographic centre of the région.
REGIONS: list[tuple[str, str, float, float]] = [
    ("01", "Guadeloupe", 16.25, -61.58),
    ("02", "Martinique", 14.64, -61.02),
    ("03", "Guyane", 3.93, -53.13),
    ("04", "La Réunion", -21.12, 55.53),
    ("06", "Mayotte", -12.83, 45.14),
    ("11", "Île-de-France", 48.71, 2.50),
    ("24", "Centre-Val de Loire", 47.50, 1.75),
    ("27", "Bourgogne-Franche-Comté", 47.24, 4.81),
    ("28", "Normandie", 49.12, 0.11),
    ("32", "Hauts-de-France", 49.97, 2.78),
    ("44", "Grand Est", 48.69, 5.62),
    ("52", "Pays de la Loire", 47.47, -0.82),
    ("53", "Bretagne", 48.18, -2.84),
    ("75", "Nouvelle-Aquitaine", 45.19, 0.20),
    ("76", "Occitanie", 43.70, 2.14),
    ("84", "Auvergne-Rhône-Alpes", 45.45, 4.39),
    ("93", "Provence-Alpes-Côte d'Azur", 43.96, 6.06),
    ("94", "Corse", 42.15, 9.10),
]

# (code_insee, nom, code_region, lat, lon) — lat/lon: approximate position of the préfecture.
DEPARTEMENTS: list[tuple[str, str, str, float, float]] = [
    ("01", "Ain", "84", 46.205, 5.225),  # Bourg-en-Bresse
    ("02", "Aisne", "32", 49.564, 3.620),  # Laon
    ("03", "Allier", "84", 46.566, 3.333),  # Moulins
    ("04", "Alpes-de-Haute-Provence", "93", 44.092, 6.236),  # Digne-les-Bains
    ("05", "Hautes-Alpes", "93", 44.559, 6.079),  # Gap
    ("06", "Alpes-Maritimes", "93", 43.710, 7.262),  # Nice
    ("07", "Ardèche", "84", 44.735, 4.599),  # Privas
    ("08", "Ardennes", "44", 49.762, 4.726),  # Charleville-Mézières
    ("09", "Ariège", "76", 42.965, 1.607),  # Foix
    ("10", "Aube", "44", 48.297, 4.074),  # Troyes
    ("11", "Aude", "76", 43.213, 2.351),  # Carcassonne
    ("12", "Aveyron", "76", 44.350, 2.575),  # Rodez
    ("13", "Bouches-du-Rhône", "93", 43.296, 5.370),  # Marseille
    ("14", "Calvados", "28", 49.183, -0.371),  # Caen
    ("15", "Cantal", "84", 44.926, 2.440),  # Aurillac
    ("16", "Charente", "75", 45.649, 0.156),  # Angoulême
    ("17", "Charente-Maritime", "75", 46.160, -1.151),  # La Rochelle
    ("18", "Cher", "24", 47.081, 2.399),  # Bourges
    ("19", "Corrèze", "75", 45.267, 1.771),  # Tulle
    ("2A", "Corse-du-Sud", "94", 41.919, 8.738),  # Ajaccio
    ("2B", "Haute-Corse", "94", 42.697, 9.450),  # Bastia
    ("21", "Côte-d'Or", "27", 47.322, 5.041),  # Dijon
    ("22", "Côtes-d'Armor", "53", 48.514, -2.765),  # Saint-Brieuc
    ("23", "Creuse", "75", 46.171, 1.872),  # Guéret
    ("24", "Dordogne", "75", 45.184, 0.721),  # Périgueux
    ("25", "Doubs", "27", 47.238, 6.024),  # Besançon
    ("26", "Drôme", "84", 44.933, 4.892),  # Valence
    ("27", "Eure", "28", 49.027, 1.151),  # Évreux
    ("28", "Eure-et-Loir", "24", 48.446, 1.489),  # Chartres
    ("29", "Finistère", "53", 47.996, -4.102),  # Quimper
    ("30", "Gard", "76", 43.837, 4.360),  # Nîmes
    ("31", "Haute-Garonne", "76", 43.605, 1.444),  # Toulouse
    ("32", "Gers", "76", 43.646, 0.586),  # Auch
    ("33", "Gironde", "75", 44.838, -0.579),  # Bordeaux
    ("34", "Hérault", "76", 43.611, 3.877),  # Montpellier
    ("35", "Ille-et-Vilaine", "53", 48.117, -1.678),  # Rennes
    ("36", "Indre", "24", 46.811, 1.691),  # Châteauroux
    ("37", "Indre-et-Loire", "24", 47.394, 0.685),  # Tours
    ("38", "Isère", "84", 45.188, 5.724),  # Grenoble
    ("39", "Jura", "27", 46.675, 5.555),  # Lons-le-Saunier
    ("40", "Landes", "75", 43.890, -0.500),  # Mont-de-Marsan
    ("41", "Loir-et-Cher", "24", 47.586, 1.336),  # Blois
    ("42", "Loire", "84", 45.439, 4.387),  # Saint-Étienne
    ("43", "Haute-Loire", "84", 45.043, 3.885),  # Le Puy-en-Velay
    ("44", "Loire-Atlantique", "52", 47.218, -1.554),  # Nantes
    ("45", "Loiret", "24", 47.903, 1.909),  # Orléans
    ("46", "Lot", "76", 44.448, 1.441),  # Cahors
    ("47", "Lot-et-Garonne", "75", 44.203, 0.616),  # Agen
    ("48", "Lozère", "76", 44.518, 3.500),  # Mende
    ("49", "Maine-et-Loire", "52", 47.478, -0.563),  # Angers
    ("50", "Manche", "28", 49.116, -1.091),  # Saint-Lô
    ("51", "Marne", "44", 48.957, 4.363),  # Châlons-en-Champagne
    ("52", "Haute-Marne", "44", 48.111, 5.139),  # Chaumont
    ("53", "Mayenne", "52", 48.073, -0.770),  # Laval
    ("54", "Meurthe-et-Moselle", "44", 48.692, 6.184),  # Nancy
    ("55", "Meuse", "44", 48.772, 5.160),  # Bar-le-Duc
    ("56", "Morbihan", "53", 47.658, -2.760),  # Vannes
    ("57", "Moselle", "44", 49.120, 6.176),  # Metz
    ("58", "Nièvre", "27", 46.990, 3.159),  # Nevers
    ("59", "Nord", "32", 50.629, 3.057),  # Lille
    ("60", "Oise", "32", 49.430, 2.081),  # Beauvais
    ("61", "Orne", "28", 48.432, 0.091),  # Alençon
    ("62", "Pas-de-Calais", "32", 50.291, 2.777),  # Arras
    ("63", "Puy-de-Dôme", "84", 45.778, 3.087),  # Clermont-Ferrand
    ("64", "Pyrénées-Atlantiques", "75", 43.296, -0.370),  # Pau
    ("65", "Hautes-Pyrénées", "76", 43.233, 0.078),  # Tarbes
    ("66", "Pyrénées-Orientales", "76", 42.699, 2.895),  # Perpignan
    ("67", "Bas-Rhin", "44", 48.573, 7.752),  # Strasbourg
    ("68", "Haut-Rhin", "44", 48.079, 7.358),  # Colmar
    ("69", "Rhône", "84", 45.764, 4.836),  # Lyon
    ("70", "Haute-Saône", "27", 47.622, 6.156),  # Vesoul
    ("71", "Saône-et-Loire", "27", 46.307, 4.829),  # Mâcon
    ("72", "Sarthe", "52", 48.006, 0.199),  # Le Mans
    ("73", "Savoie", "84", 45.564, 5.918),  # Chambéry
    ("74", "Haute-Savoie", "84", 45.899, 6.129),  # Annecy
    ("75", "Paris", "11", 48.857, 2.352),  # Paris
    ("76", "Seine-Maritime", "28", 49.443, 1.099),  # Rouen
    ("77", "Seine-et-Marne", "11", 48.540, 2.660),  # Melun
    ("78", "Yvelines", "11", 48.805, 2.130),  # Versailles
    ("79", "Deux-Sèvres", "75", 46.323, -0.459),  # Niort
    ("80", "Somme", "32", 49.894, 2.296),  # Amiens
    ("81", "Tarn", "76", 43.929, 2.148),  # Albi
    ("82", "Tarn-et-Garonne", "76", 44.018, 1.355),  # Montauban
    ("83", "Var", "93", 43.124, 5.928),  # Toulon
    ("84", "Vaucluse", "93", 43.949, 4.806),  # Avignon
    ("85", "Vendée", "52", 46.670, -1.426),  # La Roche-sur-Yon
    ("86", "Vienne", "75", 46.580, 0.340),  # Poitiers
    ("87", "Haute-Vienne", "75", 45.834, 1.261),  # Limoges
    ("88", "Vosges", "44", 48.174, 6.449),  # Épinal
    ("89", "Yonne", "27", 47.798, 3.567),  # Auxerre
    ("90", "Territoire de Belfort", "27", 47.638, 6.863),  # Belfort
    ("91", "Essonne", "11", 48.629, 2.441),  # Évry-Courcouronnes
    ("92", "Hauts-de-Seine", "11", 48.892, 2.207),  # Nanterre
    ("93", "Seine-Saint-Denis", "11", 48.908, 2.440),  # Bobigny
    ("94", "Val-de-Marne", "11", 48.790, 2.455),  # Créteil
    ("95", "Val-d'Oise", "11", 49.036, 2.063),  # Cergy
    ("971", "Guadeloupe", "01", 15.998, -61.726),  # Basse-Terre
    ("972", "Martinique", "02", 14.616, -61.059),  # Fort-de-France
    ("973", "Guyane", "03", 4.922, -52.313),  # Cayenne
    ("974", "La Réunion", "04", -20.882, 55.450),  # Saint-Denis
    ("976", "Mayotte", "06", -12.780, 45.228),  # Mamoudzou
]
