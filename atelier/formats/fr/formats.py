"""The site's French date formats (``FORMAT_MODULE_PATH``), read by ``atelier.dates``.

Django's own French formats give « 1 mars 2027 » and numeric times « 14:00 »; the programme's
documents write « 1er mars 2027 » and « 14h00 ». The ordinal of the first day of a month has
no format character: ``atelier.dates.date_fr`` adds it.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = r"j F Y à H\hi"
TIME_FORMAT = r"H\hi"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = r"d/m/Y à H\hi"
