"""Version freezing: no code path changes what was signed (the database itself refuses)."""

import pytest
from django.db import DatabaseError, connection, transaction

from feuilles_de_route.models import Signature, Version

pytestmark = pytest.mark.django_db


def _refused(fn):
    with pytest.raises(DatabaseError), transaction.atomic():
        fn()


def test_version_content_cannot_change_by_any_path(adoptee):
    frozen = (adoptee.contenu, adoptee.empreinte)

    def via_save():
        adoptee.contenu = {"axes": []}
        adoptee.save()

    _refused(via_save)
    _refused(lambda: Version.objects.filter(pk=adoptee.pk).update(empreinte="0" * 64))
    _refused(lambda: Version.objects.filter(pk=adoptee.pk).update(numero=42))

    def raw_sql():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE feuilles_de_route_version SET empreinte = %s WHERE id = %s",
                ["f" * 64, adoptee.pk],
            )

    _refused(raw_sql)
    adoptee.refresh_from_db()
    assert (adoptee.contenu, adoptee.empreinte) == frozen


def test_state_and_deliberation_still_change(adoptee):
    Version.objects.filter(pk=adoptee.pk).update(deliberation_reference="DCM-7")
    assert Version.objects.get(pk=adoptee.pk).deliberation_reference == "DCM-7"


def test_signature_cannot_change_nor_disappear(adoptee):
    signature = adoptee.signatures.first()
    _refused(lambda: Signature.objects.filter(pk=signature.pk).update(capacite="Autre"))
    _refused(lambda: Signature.objects.filter(pk=signature.pk).update(attestation="Autre"))
    _refused(lambda: Signature.objects.filter(pk=signature.pk).update(sceau="0" * 64))
    if connection.vendor == "postgresql":
        _refused(lambda: Signature.objects.filter(pk=signature.pk).delete())
    assert Signature.objects.get(pk=signature.pk).capacite == signature.capacite
