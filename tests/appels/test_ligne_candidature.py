"""The back-office list of candidatures writes each row in Python
(``{% ligne_candidature %}``): the same markup as the template it replaced; and its
bulk-assignment fields (``{% champs_masse %}``), as DSFR's templates write them."""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone

from appels import selectors
from appels.forms import RapporteursMasseForm
from appels.models import Candidature
from atelier.liens import modele
from tests import factories

pytestmark = pytest.mark.django_db

# The row as the list's template wrote it before (appels/gestion/candidature_list.html).
ANCIENNE_LIGNE = """{% load liens l10n %}{% localize off %}<tr>
    <th scope="row" class="fr-cell--fixed fr-cell--multiline">{% if masse_form %}<div class="atelier-tableau__selection"><div class="fr-checkbox-group fr-checkbox-group--sm"><input type="checkbox" name="candidatures" value="{{ c.pk }}" id="selection-{{ c.pk }}" aria-describedby="nom-{{ c.pk }}"><label class="fr-label" for="selection-{{ c.pk }}"><span class="fr-sr-only">Sélectionner la candidature n° {{ c.pk }}</span></label></div>{% endif %}<a href="{{ url_candidature|lien:c.pk }}" id="nom-{{ c.pk }}">{{ c.territoire_nom }}</a>{% if masse_form %}</div>{% endif %}</th>
    <td class="fr-cell--multiline" title="{{ c.appel.titre }}" data-label="Appel">{{ c.appel.titre|truncatechars:40 }}</td>
    <td data-label="Format">{{ c.get_format_demande_display }}</td>
    <td class="fr-cell--multiline" data-label="Département">{{ c.departement.code }} {{ c.departement.nom }}</td>
    <td data-label="Déposée le">{{ c.deposee_le|date_fr }}</td>
    <td class="fr-cell--multiline" data-label="Rapporteurs">{% for r in c.rapporteurs.all %}{{ r.get_full_name|default:r.email }}{% if not forloop.last %}, {% endif %}{% endfor %}</td>
    <td class="avis-recus" data-label="Avis reçus">{{ c.nb_avis }} / {{ c.nb_rapporteurs }}</td>
    <td data-label="Moyenne">{% if not c.voit_les_avis %}<span class="fr-hint-text">après votre avis</span>{% elif c.moyenne is not None %}{{ c.moyenne|floatformat:2 }}{% else %}—{% endif %}</td>
    <td data-label="État"><p class="fr-badge {% if c.statut == 'retenue' %}fr-badge--success{% elif c.statut == 'non_retenue' or c.statut == 'irrecevable' %}fr-badge--error{% else %}fr-badge--info{% endif %} fr-badge--no-icon fr-badge--sm">{{ c.get_statut_display }}</p></td>
  </tr>{% endlocalize %}"""

NOUVELLE_LIGNE = "{% load candidatures %}{% ligne_candidature c url_candidature masse_form %}"


def test_each_row_is_written_as_the_template_wrote_it(dgaln):
    appel = factories.AppelFactory(titre="Appel « 2027 » aux territoires d'industrie et d'avenir")
    rapporteur = factories.UtilisateurFactory(first_name="Zoé", last_name="O'Brien")
    sans_nom = factories.UtilisateurFactory(first_name="", last_name="", email="r@exemple.fr")
    statuts = [
        Candidature.Statut.DEPOSEE,
        Candidature.Statut.RETENUE,
        Candidature.Statut.NON_RETENUE,
        Candidature.Statut.IRRECEVABLE,
    ]
    for i, statut in enumerate(statuts):
        c = factories.CandidatureFactory(
            appel=appel,
            statut=statut,
            territoire_nom=f"Pays <d'Armor> {i}",
            deposee_le=timezone.now(),
        )
        if i:
            c.rapporteurs.add(rapporteur, sans_nom)
    rows = list(selectors.candidatures_gestion(user=dgaln).order_by("pk"))
    rows[1].moyenne = Decimal("3.456")
    rows[2].voit_les_avis = False
    rows[3].moyenne = Decimal("12")
    url = modele("appels:gestion_candidature")
    for c in rows:
        for masse_form in (None, object()):
            ctx = {"c": c, "url_candidature": url, "masse_form": masse_form}
            ancienne = Template(ANCIENNE_LIGNE).render(Context(ctx))
            assert Template(NOUVELLE_LIGNE).render(Context(ctx)) == ancienne
    assert "3,46" in Template(NOUVELLE_LIGNE).render(Context({**ctx, "c": rows[1]}))
    assert "O&#x27;Brien" in ancienne and "&lt;d&#x27;Armor&gt;" in ancienne


def _sans_indentation(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()


def test_the_bulk_fields_are_written_as_dsfr_writes_them(dgaln):
    """``{% champs_masse %}``: the list's reviewers to tick, each active DGALN agent labelled
    as the account's ``__str__``, escaped, and the other addresses: DSFR's markup, without
    its stray ``fr-fieldsets`` class and ``dsfr="dsfr"`` attribute."""
    factories.DgalnFactory(first_name="Zoé", last_name="<b>O'Brien & fils</b>")
    factories.DgalnFactory(first_name="", last_name="", email="sans-nom@dgaln.gouv.fr")
    factories.DgalnFactory(last_name="Partie", is_active=False)
    factories.UtilisateurFactory(last_name="Candidat")
    form = RapporteursMasseForm(queryset=selectors.candidatures_gestion(user=dgaln))
    html = Template("{% load candidatures %}{% champs_masse form %}").render(
        Context({"form": form})
    )
    dsfr = "".join(
        f'<div class="fr-fieldset__element">{form[nom].as_field_group()}</div>'
        for nom in ("rapporteurs", "autres")
    )
    dsfr = dsfr.replace(" fr-fieldsets", "").replace(' dsfr="dsfr"', "")
    assert _sans_indentation(html) == _sans_indentation(dsfr)
    assert html.count('type="checkbox"') == 3
    assert "Zoé &lt;b&gt;O&#x27;Brien &amp; fils&lt;/b&gt; &lt;" in html
    assert "sans-nom@dgaln.gouv.fr</label>" in html
    assert "Partie" not in html and "Candidat" not in html


def test_bulk_fields_with_initial_reviewers_are_left_to_dsfr(dgaln):
    agent = factories.DgalnFactory(last_name="Initiale")
    form = RapporteursMasseForm(
        queryset=selectors.candidatures_gestion(user=dgaln), initial={"rapporteurs": [agent]}
    )
    html = Template("{% load candidatures %}{% champs_masse form %}").render(
        Context({"form": form})
    )
    assert re.search(rf'value="{agent.pk}"[^>]*checked', html)
