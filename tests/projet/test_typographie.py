"""French typography a machine can check, over every template and e-mail, and the messages.

Only rules without exceptions in the project's French: each one is tried on a sample it must
catch, so none of them can pass by matching nothing. Read from the files (no rendering):
the visible text is what is left once scripts, styles, comments, template tags, variables
and HTML tags are taken out, plus the strings given to ``{% translate %}`` and the
``title``/``aria-label``/``placeholder``/``alt`` attributes a user hears or sees. The
messages written in Python are the literals given to gettext (``_``, ``ngettext``…).
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATES = BASE_DIR / "templates"
APPS = [p.parent for p in BASE_DIR.glob("*/apps.py")] + [BASE_DIR / "atelier"]
GETTEXT = {"_", "_lazy", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext"}

_HIDDEN = [
    re.compile(pattern, re.S)
    for pattern in (
        r"<script\b.*?</script>",
        r"<style\b.*?</style>",
        r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}",
        r"\{#.*?#\}",
        r"<!--.*?-->",
    )
]
_TRANSLATED = re.compile(r"\{%\s*(?:trans|translate)\s+\"([^\"]*)\"")
_ATTRIBUTES = re.compile(r"\b(?:title|aria-label|placeholder|alt)=\"([^\"]*)\"")
_MARKUP = [re.compile(p, re.S) for p in (r"\{%.*?%\}", r"\{\{.*?\}\}", r"<[^>]*>", r"&#?\w+;")]

MOIS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"

# name: (pattern, what to write instead, a sample it must catch)
RULES = {
    "l'État": (
        # The State takes its capital and its accent; « l'état de l'atelier », « passer à
        # l'état « clos » » (a state of something) have their complement, left alone.
        re.compile(
            r"(?<!à )\bl['’](?:état(?!\s+(?:(?:de|d['’]|du|des|actuel|initial|final)\b|«))"
            r"|Etat)\b"
        ),
        "« l'État »",
        "Un agent de l'état vous répond ; l'Etat signe.",
    ),
    "élision": (
        re.compile(r"\b(?:en tant|parce|lorsque|puisque|jusque)\s+que\s+[aeiouyéèêàâîôûAEIOUÉ]"),
        "« en tant qu'élu·e », « parce qu'il »",
        "Vous signez en tant que élu·e.",
    ),
    "pluriel entre parenthèses": (
        re.compile(r"\w\((?:s|e|es|x)\)"),
        "un pluriel écrit (« 3 personnes », « une ou plusieurs personnes »)",
        "Ajoutez la ou les personne(s) invitée(s).",
    ),
    "« 1er »": (
        re.compile(rf"(?<![\d,])\b1 (?:{MOIS})\b"),
        "« 1er mars » (le filtre |date_fr)",
        "Ouverture le 1 mars 2027.",
    ),
    "espace avant ; ? !": (
        re.compile(r"[\wÀ-ÿ)»][;?!](?=\s|$)"),
        "une espace (insécable fine) avant « ; », « ? » et « ! »",
        "Vous êtes inscrit! Pourquoi?",
    ),
    "guillemets": (
        re.compile(r"«(?=[^\s\u00a0\u202f])|(?<=[^\s\u00a0\u202f])»"),
        "une espace insécable à l'intérieur des guillemets « … »",
        "Le bouton «Envoyer» est en bas.",
    ),
}


def visible_text(source: str) -> str:
    for hidden in _HIDDEN:
        source = hidden.sub(" ", source)
    extra = _TRANSLATED.findall(source) + _ATTRIBUTES.findall(source)
    for markup in _MARKUP:
        source = markup.sub(" ", source)
    return "\n".join([source, *extra])


def _files() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt"))


def test_every_template_and_email_is_read():
    files = _files()
    assert len(files) > 200
    assert any(p.suffix == ".txt" and "emails" in p.parts for p in files)


@pytest.mark.parametrize("rule", list(RULES))
def test_each_rule_catches_its_sample(rule):
    pattern, _instead, sample = RULES[rule]
    assert pattern.search(visible_text(f"<p>{sample}</p>"))


def test_the_state_of_something_is_not_the_state():
    pattern = RULES["l'État"][0]
    for text in ("l'état de l'atelier", "l'État et ses services", "passé à l'état « clos »"):
        assert not pattern.search(text), text


def test_templates_and_emails_follow_french_typography():
    faults = []
    for path in _files():
        text = visible_text(path.read_text(encoding="utf-8"))
        for rule, (pattern, instead, _sample) in RULES.items():
            for match in pattern.finditer(text):
                extrait = text[max(0, match.start() - 25) : match.end() + 15].replace("\n", " ")
                faults.append(f"{path.relative_to(TEMPLATES)} [{rule}] …{extrait}… → {instead}")
    assert faults == [], "\n".join(faults)


def _messages(path: Path) -> list[str]:
    """The French literals of ``path`` given to a gettext function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT:
            found += [
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
    return found


def test_messages_written_in_python_follow_french_typography():
    faults = []
    files = [p for app in APPS for p in app.rglob("*.py") if "migrations" not in p.parts]
    assert len(files) > 50
    for path in files:
        for message in _messages(path):
            for rule, (pattern, instead, _sample) in RULES.items():
                if pattern.search(message):
                    faults.append(f"{path.relative_to(BASE_DIR)} [{rule}] {message!r} → {instead}")
    assert faults == [], "\n".join(faults)


def _literals(path: Path) -> list[str]:
    """Every string literal of ``path`` but its docstrings (messages not given to gettext
    reach people too: ``ParticipationError("…")``, e-mail subjects, PDF texts)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in docstrings
    ]  # fmt: skip


def test_every_french_literal_in_python_writes_the_state_and_its_elisions():
    faults = []
    files = [p for app in APPS for p in app.rglob("*.py") if "migrations" not in p.parts]
    for path in files:
        for text in _literals(path):
            for rule in ("l'État", "élision"):
                if RULES[rule][0].search(text):
                    faults.append(f"{path.relative_to(BASE_DIR)} [{rule}] {text[:80]!r}")
    assert faults == [], "\n".join(faults)
