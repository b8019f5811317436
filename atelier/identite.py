"""Who publishes the service, from settings (ATELIER_MINISTERE, ATELIER_EDITEUR…): read by
the footer, the legal pages, the PDF covers and the e-mails, so that a ministry's new name is
one variable to change."""

from django.conf import settings


def ministere_lignes(nom: str, largeur: int = 22) -> list[str]:
    """The ministry's name cut into the short lines of the DSFR logo block (Marianne): its
    first word alone ("Ministère"), then lines of at most ``largeur`` characters."""
    mots = nom.split()
    lignes: list[str] = mots[:1]
    debut = len(lignes)
    for mot in mots[1:]:
        if len(lignes) > debut and len(lignes[-1]) + 1 + len(mot) <= largeur:
            lignes[-1] += f" {mot}"
        else:
            lignes.append(mot)
    return lignes


def identite() -> dict:
    """Who publishes the service, from settings: footer, legal pages, PDF covers, e-mails."""
    return {
        "MINISTERE": settings.ATELIER_MINISTERE,
        "MINISTERE_LIGNES": ministere_lignes(settings.ATELIER_MINISTERE),
        "EDITEUR": settings.ATELIER_EDITEUR,
        "DIRECTION_PUBLICATION": settings.ATELIER_DIRECTION_PUBLICATION,
        "HEBERGEUR": settings.ATELIER_HEBERGEUR,
        "CONTACT_EMAIL": settings.ATELIER_CONTACT_EMAIL,
        "DPO_EMAIL": settings.ATELIER_DPO_EMAIL,
    }
