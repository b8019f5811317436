"""Links to every row of a long list, built from one ``reverse()`` (``atelier.liens``).

``{% url %}`` resolves the URL pattern again for each row; ``{% url_modele %}`` reverses the
URL once with a placeholder for the row's id, and ``|lien:row.pk`` puts the id in::

    {% load liens %}
    {% url_modele "ateliers:document" atelier.pk as url_document %}
    {% for doc in page_obj %}<a href="{{ url_document|lien:doc.pk }}">…{% endfor %}

The row's id is the last argument of the URL pattern.
"""

from django import template

from atelier.liens import ModeleLien, modele

register = template.Library()


@register.simple_tag
def url_modele(name: str, *args) -> ModeleLien:
    return modele(name, *args)


@register.filter
def lien(modele_lien: ModeleLien, pk) -> str:
    return modele_lien.pour(pk)
