"""Is this a Python backend role?

Title first, then evidence, because precision matters more than recall (a subscriber's inbox is
the cost of a false positive):

1. A title naming a role outside backend development (frontend, mobile, design, data analysis or
   science, QA, DevOps, support, sales, marketing, recruiting, teaching, writing, management outside
   engineering) is **not** one, whatever the text says — unless it also says backend.
2. An engineering title naming Python or a Python backend framework ("Python Developer", "Django
   Engineer", "Backend Engineer (FastAPI)") **is** one; "Python Annotator" or "Python Tutor" is not.
3. A title naming another backend language and not Python ("Java Developer", "Go Engineer") is not.
4. A backend or generic engineering title ("Backend Engineer", "Senior Software Engineer",
   "Developer") is one when the evidence says Python: a Python tag from the source, a Python backend
   framework among the skills, or Python named at least twice in the text — and Python is named at
   least as often as any other backend language.
5. Anything else is not.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["is_python_backend"]

_PY_TITLE = re.compile(r"\b(?:python(?:ista)?|django|flask|fastapi|pyramid|drf|wagtail|odoo)\b", re.I)
_BACKEND_TITLE = re.compile(r"\b(?:back[-\s]?end|server[-\s]?side|api|apis)\b", re.I)
#: Plurals too: Hacker News posts hire several at once ("Senior Python engineers", "Django developers").
_ENGINEERING_TITLE = re.compile(
    r"\b(?:engineer(?:ing|s)?|developers?|devs?|programm?ers?|swes?|coders?|hackers?|architects?|"
    r"full[-\s]?stack|pythonistas?|experts?)\b",
    re.I,
)
#: Roles that are not backend development even when Python is part of the job.
_OTHER_ROLE = re.compile(
    r"\b(?:front[-\s]?end|ios|android|mobile|ui|ux|designer|"
    r"data\s+analyst|analyst|analytics|data\s+scientist|data\s+engineer(?:ing)?|scientist|research(?:er)?|"
    r"machine\s+learning|ml|mlops|ai\s+engineer|computer\s+vision|nlp|mentor|coach|"
    r"qa|sdet|test(?:er|ing)?|quality|automation|devops|sre|"
    r"site\s+reliability|infrastructure|network|security|support|helpdesk|technician|sales|"
    r"account|marketing|seo|growth|recruit(?:er|ing)?|talent|sourcer|hr|people|teacher|tutor|"
    r"instructor|trainer|lecturer|professor|writer|editor|content|copywriter|product\s+manager|"
    r"project\s+manager|program\s+manager|manager|coordinator|assistant|accountant|finance|legal|"
    r"customer|success|community|embedded|firmware|game|unity|salesforce|sap|wordpress|"
    r"shopify|blockchain|solidity)s?\b",
    re.I,
)
#: Backend languages that, named in a title without Python, make it another language's role.
_OTHER_LANGUAGE_TITLE = re.compile(
    r"(?:\b(?:java|kotlin|scala|golang|go|ruby|rails|php|laravel|node(?:\.?js)?|typescript|"
    r"javascript|elixir|rust|\.net|dotnet|c\+\+|spring|react|angular|vue(?:\.js)?|svelte|next\.js)(?![\w+#])|"
    r"(?<!\w)(?:c#|\.net))",
    re.I,
)
#: Named mentions of Python and its rivals in running text (one pass, counted per group).
_LANGUAGE_NAMES = (r"(?P<py>python|django|flask|fastapi)|(?P<other>java|kotlin|scala|golang|ruby|rails|php|laravel|"
                   r"node\.?js|elixir|rust|c#|\.net|dotnet|spring)")
_LANGUAGES = re.compile(rf"\b(?:{_LANGUAGE_NAMES})\b", re.I)
#: The same on lower-cased text, twice as fast: without IGNORECASE the regex engine compares plain
#: characters, and the look-ahead (the names' first characters) passes over most words at once.
_LANGUAGES_LOWER = re.compile(rf"\b(?=[cdefgjklnprs.])(?:{_LANGUAGE_NAMES})\b")
#: Letters IGNORECASE matches to an ASCII letter that `str.lower` leaves apart ("ı", "ſ") or turns
#: into two characters ("İ"): a text holding one is read with the case-insensitive regex instead.
_FOLDED_APART = ("ı", "ſ", "İ")
_PY_BACKEND_SKILLS = frozenset({
    "Django", "Django REST Framework", "Flask", "FastAPI", "aiohttp", "Starlette", "Tornado", "Celery",
    "SQLAlchemy", "Alembic", "Pydantic", "asyncio", "Gunicorn", "Uvicorn",
})
_PY_TAG = re.compile(r"^(?:python\d?|django|flask|fastapi|py)$", re.I)


def _python_evidence(skills: list[str], tags: list[str], text: str) -> bool:
    py_mentions = other_mentions = 0
    if any(letter in text for letter in _FOLDED_APART):
        matches = _LANGUAGES.finditer(text)
    else:
        matches = _LANGUAGES_LOWER.finditer(text.lower())
    for match in matches:
        if match.group("py"):
            py_mentions += 1
        else:
            other_mentions += 1
    if "Go" in skills:
        other_mentions += 1
    py_tag = any(isinstance(tag, str) and _PY_TAG.match(tag.strip()) for tag in tags)
    framework = bool(_PY_BACKEND_SKILLS.intersection(skills))
    if not (py_tag or framework or py_mentions >= 2):
        return False
    # A tag or framework from a trusted place counts as mentions of its own.
    return py_mentions + 2 * py_tag + 2 * framework >= other_mentions


@lru_cache(maxsize=4096)
def _title_verdict(title: str) -> bool | None:
    """Rules 1 to 3 on the title alone: True or False when the title decides, None when the evidence
    must. Cached: titles are short and come back often, and this takes up to five regexes."""
    backend = bool(_BACKEND_TITLE.search(title))
    if not backend and _OTHER_ROLE.search(title):
        return False
    engineering = backend or bool(_ENGINEERING_TITLE.search(title))
    if not engineering:
        return False
    if _PY_TITLE.search(title):
        return True
    if _OTHER_LANGUAGE_TITLE.search(title):
        return False
    return None


def is_python_backend(title: str, skills: list[str], tags: list[str], text: str) -> bool:
    """True when the listing is a Python backend development role (rules in the module docstring)."""
    verdict = _title_verdict(title)
    if verdict is not None:
        return verdict
    return _python_evidence(skills, tags, f"{title}\n{text}")
