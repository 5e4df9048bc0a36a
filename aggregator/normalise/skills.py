"""Skills: canonical names from a taxonomy with aliases. (Minimal first version.)"""

from __future__ import annotations

import re

_SKILLS = {"python": "Python", "django": "Django", "flask": "Flask", "fastapi": "FastAPI",
           "postgresql": "PostgreSQL", "postgres": "PostgreSQL", "redis": "Redis", "docker": "Docker",
           "kubernetes": "Kubernetes", "aws": "AWS"}
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#.]*")


def extract_skills(title: str, tags: list[str], text: str) -> list[str]:
    found = set()
    for chunk in (title, " ".join(tags), text):
        for word in _WORD.findall(chunk):
            canonical = _SKILLS.get(word.lower().rstrip("."))
            if canonical:
                found.add(canonical)
    return sorted(found)
