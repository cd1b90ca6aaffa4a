"""Load the three data files into validated `Content`, through a private cache.

Validation needs PyYAML and pydantic, which cost more to import than a whole `leadcli offerings`
run. So once a set of files has validated, the result is written as JSON of plain data into the
user's cache folder (owner-only), one entry per data directory, stamped with the files' bytes and
the models' source. A later run with the same files rebuilds the dataclasses from it (no pydantic,
no YAML). The cache never holds code (no pickle), and a cache file or folder that is not owned by
the user or that others may write is ignored. Any cache problem falls back to full validation.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leadcli import __version__
from leadcli.content import models
from leadcli.content.models import Content, SourceFile
from leadcli.errors import ContentError
from leadcli.paths import DATA_FILES, ensure_private_dir

_CACHE_PREFIX = "content-"
_CACHE_SUFFIX = ".json"
_CACHE_KEEP = 8  # data directories remembered; each directory has one entry, replaced on edit


def _read_files(data_dir: Path) -> tuple[dict[str, tuple[bytes, str]], list[str]]:
    from leadcli.content.yamlfile import YamlFileError, read_yaml_text

    raw: dict[str, tuple[bytes, str]] = {}
    problems: list[str] = []
    if not data_dir.is_dir():
        raise ContentError([f"{data_dir}: data directory not found (it must hold {', '.join(DATA_FILES)})"])
    for name in DATA_FILES:
        path = data_dir / name
        try:
            raw[name] = read_yaml_text(path)
        except YamlFileError as exc:
            problems.extend(exc.problems)
    return raw, problems


def _quick_read(data_dir: Path) -> dict[str, bytes] | None:
    try:
        return {name: (data_dir / name).read_bytes() for name in DATA_FILES}
    except OSError:
        return None


def _cache_key(raw: dict[str, bytes]) -> str:
    # CRC-32 and length of each file, not SHA-256: it needs no OpenSSL import on every start-up,
    # and a stale cache would need an edit that keeps both the length and the CRC.
    models_stat = Path(models.__file__).stat()
    parts = [__version__, str(models_stat.st_mtime_ns), str(models_stat.st_size)]
    parts += [f"{len(raw[name])}-{zlib.crc32(raw[name]):08x}" for name in DATA_FILES]
    return f"{zlib.crc32('|'.join(parts).encode()):08x}-" + "-".join(parts[3:])


def _cache_path(cache_dir: Path, data_dir: Path) -> Path:
    # One entry per data directory: editing a custom --data-dir replaces its own entry and never
    # evicts the built-in content's.
    where = str(data_dir.resolve()).encode("utf-8", "surrogateescape")
    return cache_dir / f"{_CACHE_PREFIX}{zlib.crc32(where):08x}{_CACHE_SUFFIX}"


def load_content(data_dir: Path, *, cache_dir: Path | None = None) -> Content:
    """The validated content of `data_dir`; raises ContentError listing every problem."""
    raw = _quick_read(data_dir)
    if raw is not None and cache_dir is not None:
        cached = _read_cache(_cache_path(cache_dir, data_dir), _cache_key(raw), data_dir)
        if cached is not None:
            return cached
    content = validate_data_dir(data_dir)
    if cache_dir is not None:
        raw = _quick_read(data_dir)
        if raw is not None:
            _write_cache(cache_dir, _cache_path(cache_dir, data_dir), _cache_key(raw), content)
    return content


def validate_data_dir(data_dir: Path) -> Content:
    """Read, parse and validate the three files, always in full (no cache)."""
    from leadcli.content.validation import cross_check, validate_document
    from leadcli.content.yamlfile import YamlDocument, YamlFileError, parse_yaml

    raw, problems = _read_files(data_dir)
    docs: dict[str, YamlDocument] = {}
    objects: dict[str, object] = {}
    roots = {
        "framework": models.Framework,
        "questions": models.QuestionSet,
        "offerings": models.Catalog,
    }
    for key, model in roots.items():
        name = f"{key}.yaml"
        if name not in raw:
            continue
        path = data_dir / name
        try:
            docs[key] = parse_yaml(path, raw[name][1])
        except YamlFileError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(docs[key].problems)
        obj, errors = validate_document(docs[key], model)
        problems.extend(errors)
        if docs[key].problems:
            obj = None
        if obj is not None:
            objects[key] = obj
    problems += cross_check(
        objects.get("framework"),  # type: ignore[arg-type]
        objects.get("questions"),  # type: ignore[arg-type]
        objects.get("offerings"),  # type: ignore[arg-type]
        docs,
    )
    if problems:
        raise ContentError(problems)
    import hashlib

    files = {
        name: SourceFile(path=str(data_dir / name), sha256=hashlib.sha256(raw[name][0]).hexdigest())
        for name in DATA_FILES
    }
    return Content(
        framework=objects["framework"],  # type: ignore[arg-type]
        questions=objects["questions"],  # type: ignore[arg-type]
        catalog=objects["offerings"],  # type: ignore[arg-type]
        files=files,
    )


def _trusted(st: os.stat_result) -> bool:
    """Whether a cache file or folder is the user's own and writable by nobody else."""
    if not hasattr(os, "getuid"):  # Windows: no owner/mode bits to check this way
        return True
    return st.st_uid == os.getuid() and not (st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _read_cache(path: Path, key: str, data_dir: Path) -> Content | None:
    import json

    try:
        if not _trusted(path.parent.stat()):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            st = os.fstat(handle.fileno())
            if not stat.S_ISREG(st.st_mode) or not _trusted(st):
                return None
            data = json.loads(handle.read())
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        content = from_plain(Content, data["content"])
    except Exception:  # any unreadable, untrusted or stale cache is simply rebuilt
        return None
    # The same bytes may live in another folder: report where they were read from this time.
    files = {
        name: SourceFile(path=str(data_dir / name), sha256=f.sha256) for name, f in content.files.items()
    }
    return Content(
        framework=content.framework,
        questions=content.questions,
        catalog=content.catalog,
        files=files,
    )


def _write_cache(cache_dir: Path, path: Path, key: str, content: Content) -> None:
    import json
    import tempfile

    try:
        ensure_private_dir(cache_dir)
        if not _trusted(cache_dir.stat()):
            return
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".tmp-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"key": key, "content": dataclasses.asdict(content)}, handle)
            Path(tmp).replace(path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        for legacy in cache_dir.glob(f"{_CACHE_PREFIX}*.pickle"):  # never read; left by old versions
            legacy.unlink(missing_ok=True)
        entries = sorted(cache_dir.glob(f"{_CACHE_PREFIX}*{_CACHE_SUFFIX}"), key=lambda p: p.stat().st_mtime)
        for stale in entries[:-_CACHE_KEEP]:
            stale.unlink(missing_ok=True)
    except OSError:
        return  # a cache that cannot be written only costs speed


_FIELD_KINDS: dict[type, dict[str, Any]] = {}
_SCALARS: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}


def _kind(annotation: str) -> Any:
    """A decoder spec for one of the models' (string) annotations.

    The models only use a handful of shapes; reading them directly is several times cheaper at
    start-up than `typing.get_type_hints`, which compiles and evaluates every annotation.
    """
    import typing

    text = annotation.strip()
    if text.endswith(" | None"):
        return ("optional", _kind(text[: -len(" | None")]))
    if text.startswith("tuple[") and text.endswith(", ...]"):
        return ("tuple", _kind(text[len("tuple[") : -len(", ...]")]))
    if text.startswith("dict[str, ") and text.endswith("]"):
        return ("dict", _kind(text[len("dict[str, ") : -1]))
    if text.startswith("Literal[") and text.endswith("]"):
        return ("literal", tuple(v.strip().strip("\"'") for v in text[len("Literal[") : -1].split(",")))
    if text in _SCALARS:
        return ("scalar", _SCALARS[text])
    named = vars(models)[text]
    if dataclasses.is_dataclass(named):
        return ("dataclass", named)
    return ("literal", typing.get_args(named))  # a vocabulary alias such as OfferingType


def _field_kinds(kind: type) -> dict[str, Any]:
    kinds = _FIELD_KINDS.get(kind)
    if kinds is None:
        kinds = _FIELD_KINDS[kind] = {
            f.name: _kind(f.type if isinstance(f.type, str) else f.type.__name__)
            for f in dataclasses.fields(kind)  # type: ignore[arg-type]
            if f.init
        }
    return kinds


def from_plain(kind: type, value: Any) -> Any:
    """Rebuild a content dataclass from JSON data, strictly (a TypeError on any mismatch).

    Plain data in, plain dataclasses out: nothing in the data can name a type or run code.
    """
    return _decode(("dataclass", kind), value)


def _decode(spec: Any, value: Any) -> Any:
    shape, arg = spec
    if shape == "dataclass":
        if not isinstance(value, dict):
            raise TypeError(f"{arg.__name__}: expected an object")
        kinds = _field_kinds(arg)
        if not set(value) <= set(kinds):
            raise TypeError(f"{arg.__name__}: unknown fields")
        return arg(**{name: _decode(kinds[name], item) for name, item in value.items()})
    if shape == "optional":
        return None if value is None else _decode(arg, value)
    if shape == "tuple":
        if not isinstance(value, list):
            raise TypeError("expected a list")
        return tuple(_decode(arg, item) for item in value)
    if shape == "dict":
        if not isinstance(value, dict):
            raise TypeError("expected an object")
        return {str(k): _decode(arg, v) for k, v in value.items()}
    if shape == "literal":
        if value not in arg:
            raise TypeError(f"unexpected value {value!r}")
        return value
    if arg is float and type(value) in (int, float):
        return float(value)
    if type(value) is arg:
        return value
    raise TypeError(f"expected {arg.__name__}")


@dataclass(frozen=True)
class ContentSummary:
    """What a valid set of data files holds."""

    data_dir: str
    counts: dict[str, int]
    versions: dict[str, str]

    def sentence(self) -> str:
        counts = ", ".join(f"{n} {what}" for what, n in self.counts.items())
        return f"OK {self.data_dir}: {counts}"


def content_summary(content: Content) -> ContentSummary:
    framework, questions, catalog = content.framework, content.questions, content.catalog
    first = next(iter(content.files.values()), None)
    return ContentSummary(
        data_dir=str(Path(first.path).parent) if first else "",
        counts={
            "domains": len(framework.domains),
            "components": sum(len(d.components) for d in framework.domains),
            "questions": len(questions.questions),
            "cues": sum(len(q.cues) for q in questions.questions),
            "reflection questions": len(questions.reflection.questions),
            "offerings": len(catalog.offerings),
        },
        versions={
            "framework": framework.version,
            "questions": questions.version,
            "offerings": catalog.version,
        },
    )
