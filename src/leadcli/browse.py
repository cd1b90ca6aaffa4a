"""Browsing the content: the Python functions behind `framework`, `questions` and `offerings`."""

from __future__ import annotations

import dataclasses

from leadcli.content.models import Framework
from leadcli.errors import NotFoundError


def framework_part(framework: Framework, domain: str | None = None) -> Framework:
    """The framework, or a copy holding only the domain named by id or number."""
    if domain is None:
        return framework
    found = framework.domain(domain.strip().casefold())
    if found is None:
        known = ", ".join(f"{d.number} ({d.id})" for d in framework.domains)
        raise NotFoundError(f"no domain {domain!r}; domains are: {known}")
    return dataclasses.replace(framework, domains=(found,))
