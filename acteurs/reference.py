"""The State services that may run an atelier: DGALN, the 13 DREAL and 5 DEAL (and
equivalents), one DDT(M) per département — loaded idempotently (a data migration and
``load_reference`` call :func:`load_services_etat`; ``apps`` lets a migration pass its
historical models).

Paris and the three départements of the petite couronne have no DDT: the DRIEAT's
departmental units act there, so the DRIEAT is their service. Overseas, the DEAL (DGTM in
Guyane) is both the regional and the departmental service.
"""

from django.apps import apps as django_apps

from territoires.data.geographie import DEPARTEMENTS, REGIONS

# Régions whose service is not called "DREAL <région>".
NOMS_REGIONAUX = {
    "01": "DEAL Guadeloupe",
    "02": "DEAL Martinique",
    "03": "DGTM Guyane",
    "04": "DEAL La Réunion",
    "06": "DEAL Mayotte",
    "11": "DRIEAT Île-de-France",
}
SANS_DDT = {"75", "92", "93", "94", "971", "972", "973", "974", "976"}
# Départements with a coastline: their DDT is a DDTM (direction … et de la mer).
LITTORAUX = {
    "06", "11", "13", "14", "17", "22", "29", "2A", "2B", "30", "33", "34", "35",
    "40", "44", "50", "56", "59", "62", "64", "66", "76", "80", "83", "85",
}  # fmt: skip


def services_de_reference() -> list[dict]:
    """Every State service of the reference list, as field values (no database)."""
    services = [
        {
            "code": "dgaln",
            "nom": "DGALN — Bureau des stratégies territoriales",
            "nature": "dgaln",
            "region": None,
            "departement": None,
        }
    ]
    for code, nom, _lat, _lon in REGIONS:
        services.append(
            {
                "code": f"dreal-{code}",
                "nom": NOMS_REGIONAUX.get(code, f"DREAL {nom}"),
                "nature": "dreal",
                "region": code,
                "departement": None,
            }
        )
    for code, nom, code_region, _lat, _lon in DEPARTEMENTS:
        if code in SANS_DDT:
            continue
        sigle = "DDTM" if code in LITTORAUX else "DDT"
        services.append(
            {
                "code": f"ddt-{code.lower()}",
                "nom": f"{sigle} — {nom} ({code})",
                "nature": "ddt",
                "region": code_region,
                "departement": code,
            }
        )
    return services


def load_services_etat(apps=django_apps) -> int:
    """Create the missing reference State services (and their Organisation); names and
    SIRETs DGALN edited are left alone. Returns the number of services."""
    ServiceEtat = apps.get_model("acteurs", "ServiceEtat")
    Organisation = apps.get_model("acteurs", "Organisation")
    Region = apps.get_model("territoires", "Region")
    Departement = apps.get_model("territoires", "Departement")
    regions = {r.code: r for r in Region.objects.all()}
    departements = {d.code: d for d in Departement.objects.all()}
    existants = set(ServiceEtat.objects.values_list("code", flat=True))
    for data in services_de_reference():
        if data["code"] in existants:
            continue
        departement = departements.get(data["departement"] or "")
        organisation, _created = Organisation.objects.get_or_create(
            slug=f"etat-{data['code']}",
            defaults={
                "nom": data["nom"],
                "nature": data["nature"],
                "departement": departement,
            },
        )
        ServiceEtat.objects.create(
            code=data["code"],
            nom=data["nom"],
            nature=data["nature"],
            region=regions.get(data["region"] or ""),
            departement=departement,
            organisation=organisation,
        )
    return ServiceEtat.objects.count()
