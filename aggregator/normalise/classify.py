"""Is this a Python backend role? (Minimal first version.)"""

from __future__ import annotations

import re

_PY = re.compile(r"\b(python|django|flask|fastapi)\b", re.I)


def is_python_backend(title: str, skills: list[str], tags: list[str], text: str) -> bool:
    return bool(_PY.search(title) or {"Python", "Django", "Flask", "FastAPI"} & set(skills))
