from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.capitalisation import seed_capitalisation
from demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Crée les données de démonstration qui manquent (territoires lauréats, ateliers, "
        "feuilles de route, rapports, appels, comptes de démonstration). Ne modifie aucune "
        "ligne existante : la relancer garde ce qui a été fait avec la démonstration."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--production",
            action="store_true",
            help=(
                "Autorise la commande quand DJANGO_DEBUG=0 (serveur de démonstration) : elle "
                "crée des comptes au mot de passe connu."
            ),
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["production"]:
            raise CommandError(
                "DJANGO_DEBUG=0 : les données de démonstration créent des comptes au mot de "
                "passe public. Sur un serveur de démonstration, relancez avec --production."
            )
        try:
            resultat = seed_demo()
            seed_capitalisation()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        out = self.stdout
        out.write(
            self.style.SUCCESS(
                f"Données de démonstration à jour : {resultat.territoires} territoires, "
                f"{resultat.ateliers} ateliers."
            )
        )
        out.write("")
        out.write(f"Comptes de démonstration (mot de passe commun : {resultat.mot_de_passe}) :")
        largeur = max(len(c.email) for c in resultat.comptes)
        for compte in resultat.comptes:
            mfa = "  [double authentification]" if compte.totp else ""
            out.write(f"  {compte.email.ljust(largeur)}  {compte.role}{mfa}")
        out.write("")
        out.write(
            "Double authentification (comptes DGALN et pilote) : ajoutez dans votre application "
            f"d'authentification (TOTP) le secret {resultat.secret_totp}"
        )
        out.write("")
        out.write(f"Adresse : {settings.SITE_URL}/")
