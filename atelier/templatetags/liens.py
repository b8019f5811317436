"""Links to every row of a long list, built from one ``reverse()`` per page.

``{% url %}`` resolves the URL pattern again for each row; on a page of a few hundred rows
with two or three links each, that was most of the server time. ``{% url_modele %}`` reverses
the URL once with a placeholder for the row's id, and ``|lien:row.pk`` puts the id in::

    {% load liens %}
    {% url_modele "ateliers:document" atelier.pk as url_document %}
    {% for doc in page_obj %}<a href="{{ url_document|lien:doc.pk }}">…{% endfor %}

The row's id is the last argument of the URL pattern.
"""

from dataclasses import dataclass

from django import template
from django.urls import reverse

register = template.Library()

# An id no row has, to find where the row's id goes in the reversed URL.
_PLACE = 987654321987


@dataclass(frozen=True)
class ModeleLien:
    avant: str
    apres: str

    def pour(self, pk) -> str:
        return f"{self.avant}{int(pk)}{self.apres}"


@register.simple_tag
def url_modele(name: str, *args) -> ModeleLien:
    url = reverse(name, args=[*args, _PLACE])
    avant, apres = url.rsplit(str(_PLACE), 1)
    return ModeleLien(avant, apres)


@register.filter
def lien(modele: ModeleLien, pk) -> str:
    return modele.pour(pk)
