"""DJANGO_ADMINS: a server error (500) is e-mailed to the operators when DEBUG is off."""

import pytest
from django.core import mail
from django.urls import path


def panne(request):
    raise RuntimeError("panne simulée")


urlpatterns = [path("panne/", panne)]


@pytest.mark.urls(__name__)
def test_a_server_error_is_mailed_to_the_admins(client, settings):
    settings.ADMINS = [("Exploitation", "exploitation@atelier.gouv.fr")]
    client.raise_request_exception = False
    response = client.get("/panne/")
    assert response.status_code == 500
    (message,) = mail.outbox
    assert message.to == ["exploitation@atelier.gouv.fr"]
    assert "panne simulée" in message.body


@pytest.mark.urls(__name__)
def test_no_admins_no_mail(client, settings):
    settings.ADMINS = []
    client.raise_request_exception = False
    assert client.get("/panne/").status_code == 500
    assert mail.outbox == []
