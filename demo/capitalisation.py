"""Demo data of the national capitalisation: the indicator catalogue, indicators and
measured values on the adopted demo roadmaps, and the fiches of the restituted ateliers.
Creates only what is missing (run after ``seed.seed_demo``)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ateliers.models import Atelier, FicheCapitalisation
from feuilles_de_route.models import Action, Indicateur, IndicateurAction, MesureIndicateur, Unite

CATALOGUE = [
    (
        "Logements vacants remis sur le marché",
        Unite.LOGEMENTS,
        "habitat, revitalisation",
        5000,
        "Logements vacants depuis plus de deux ans remis en location ou vendus.",
        "LOVAC",
    ),
    (
        "Surface désimperméabilisée",
        Unite.METRES_CARRES,
        "eau, sobriété foncière",
        500000,
        "Surface de sols rendus perméables (cours, places, parkings).",
        "Collectivité",
    ),
    (
        "Surface agricole préservée",
        Unite.HECTARES,
        "agriculture, sobriété foncière",
        20000,
        "Surface protégée par un zonage agricole ou naturel nouveau.",
        "Document d'urbanisme",
    ),
    (
        "Linéaire d'itinéraires cyclables",
        Unite.KILOMETRES,
        "mobilités",
        2000,
        "Pistes et bandes cyclables ouvertes.",
        "Collectivité",
    ),
    (
        "Commerces de centre-bourg ouverts",
        Unite.NOMBRE,
        "revitalisation, commerce",
        1500,
        "Commerces ouverts en centre-bourg dans l'année.",
        "CCI",
    ),
    (
        "Part des habitants à moins de 10 minutes d'un service",
        Unite.POURCENTAGE,
        "services, mobilités",
        None,
        "Part de la population à moins de 10 minutes d'un service du quotidien.",
        "INSEE, base permanente des équipements",
    ),
]
RESTITUES = (Atelier.Statut.RESTITUE, Atelier.Statut.EN_MISE_EN_OEUVRE, Atelier.Statut.CLOS)


@transaction.atomic
def seed_capitalisation() -> dict[str, int]:
    created = {"indicateurs": 0, "suivis": 0, "mesures": 0, "fiches": 0}
    # Seeded once, with the rest of the demo: a re-run adds nothing to roadmaps and ateliers
    # people have since changed (adopted, restituted), as the other demo modules do.
    if Indicateur.objects.filter(nom=CATALOGUE[0][0], local=False).exists():
        return created
    catalogue = []
    for nom, unite, themes, cible, definition, source in CATALOGUE:
        indicateur, new = Indicateur.objects.get_or_create(
            nom=nom,
            local=False,
            defaults={
                "unite": unite,
                "themes": themes,
                "cible_nationale": Decimal(cible) if cible is not None else None,
                "definition": definition,
                "source": source,
            },
        )
        created["indicateurs"] += new
        catalogue.append(indicateur)
    today = timezone.localdate()
    actions = (
        Action.objects.filter(
            axe__feuille__atelier__est_demo=True, axe__feuille__version_adoptee__isnull=False
        )
        .select_related("axe__feuille")
        .order_by("axe__feuille_id", "axe__ordre", "ordre", "id")
    )
    for i, action in enumerate(actions):
        indicateur = catalogue[i % len(catalogue)]
        base = Decimal(10 + (i * 7) % 40)
        cible = base + Decimal(20 + i % 5 * 10)
        if indicateur.unite == Unite.POURCENTAGE:
            base, cible = Decimal(40 + i % 20), Decimal(80)
        suivi, new = IndicateurAction.objects.get_or_create(
            action=action,
            indicateur=indicateur,
            defaults={
                "valeur_initiale": base,
                "date_initiale": today - dt.timedelta(days=400),
                "valeur_cible": cible,
                "date_cible": today + dt.timedelta(days=900),
            },
        )
        created["suivis"] += new
        if suivi.mesures.exists():
            continue
        for jours, part in ((300, Decimal("0.2")), (60, Decimal("0.5") + Decimal(i % 4) / 10)):
            valeur = (base + (cible - base) * part).quantize(Decimal(1))
            MesureIndicateur.objects.create(
                suivi=suivi,
                date=today - dt.timedelta(days=jours),
                valeur=valeur,
                source=indicateur.source,
                commentaire="Relevé de démonstration",
            )
            created["mesures"] += 1
        last = suivi.mesures.order_by("-date").first()
        IndicateurAction.objects.filter(pk=suivi.pk).update(
            derniere_valeur=last.valeur, derniere_date=last.date
        )
    for atelier in Atelier.objects.filter(est_demo=True, statut__in=RESTITUES).exclude(
        fiche_capitalisation__isnull=False
    ):
        FicheCapitalisation.objects.create(
            atelier=atelier,
            reussites=(
                "Les visites de terrain avec les élus et les habitants ont fait émerger une "
                "vision partagée du territoire."
            ),
            obstacles="Le foncier morcelé et la disponibilité des services techniques.",
            conditions_reussite=(
                "Un binôme élu–DDT présent à chaque atelier ; une équipe pluridisciplinaire "
                "qui dessine en séance."
            ),
            pratiques_transferables="La carte sensible co-dessinée lors de l'atelier 1.",
            themes=atelier.theme or "revitalisation",
            echelle=FicheCapitalisation.Echelle.INTERCOMMUNALE,
            statut=FicheCapitalisation.Statut.VALIDEE,
            validee_le=timezone.now(),
        )
        created["fiches"] += 1
    return created
