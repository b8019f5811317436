"""Markdown for the logbook, rendered then sanitised.

Python-Markdown passes raw HTML through, so its output is never trusted as is: ``nh3``
(the Rust ``ammonia`` sanitiser) keeps only the tags Markdown itself produces, drops every
attribute but safe link targets, and removes ``<script>``/``<style>`` with their content.
"""

import re

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
_HEADING = re.compile(r"<(/?)h([1-6])", re.IGNORECASE)


def render_markdown(text: str) -> SafeString:
    """Render ``text`` (Markdown) to HTML safe to insert in a page."""
    html = md.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    # Headings move down two levels: an entry sits under the page's h1 and section h2.
    html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 — sanitised by nh3 just above
