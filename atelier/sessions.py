"""Django's database sessions, read by one statement rather than through the ORM.

Every signed-in page reads its session first. Through ``Session.objects.get`` the ORM built,
compiled and instantiated that one-row query anew on each request: about 0.7 ms of a
workspace page's 10 to 30 on PostgreSQL, for a statement that never changes. This store
sends the same ``WHERE`` (the key, and an expiry date still to come), written once per
process from the model's table; the rest (creation, saving, deletion, expiry, the cookie) is
Django's own ``db`` store. ``SESSION_ENGINE = "atelier.sessions"``.
"""

from functools import lru_cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


@lru_cache(maxsize=4)
def _sql(alias: str) -> str:
    from django.contrib.sessions.models import Session

    q = connections[alias].ops.quote_name
    meta = Session._meta
    table = q(meta.db_table)
    cle, donnees, expiration = (
        q(meta.get_field(nom).column) for nom in ("session_key", "session_data", "expire_date")
    )
    # Only the model's table and column names go into the text; values are parameters.
    return (
        f"SELECT {donnees}, {expiration} FROM {table}"  # noqa: S608
        f" WHERE {cle} = %s AND {expiration} > %s"
    )


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        alias = router.db_for_read(self.model)
        with connections[alias].cursor() as cursor:
            cursor.execute(_sql(alias), [self.session_key, timezone.now()])
            ligne = cursor.fetchone()
        if ligne is None:
            # As Django's store: an unknown or expired key is forgotten, a new one is made.
            self._session_key = None
            return None
        donnees, expiration = ligne
        return self.model(
            session_key=self.session_key, session_data=donnees, expire_date=expiration
        )
