"""Load the three data files into validated `Content`, through a private cache.

Validation needs PyYAML and pydantic, which cost more to import than a whole `leadcli offerings`
run. So once a set of files has validated, the result is written to the user's cache folder as
JSON of plain data (owner-only; one file per data folder, so editing one folder never evicts
another's), with a key made of the files' bytes and the source of the code that shapes it. A
later run with the same files rebuilds the dataclasses from it and imports neither. JSON cannot
run code, and a cache file or folder that someone else owns or could write is never read. Any
cache problem falls back to full validation.
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path

from leadcli.content import models
from leadcli.content.models import Content, SourceFile
from leadcli.errors import ContentError
from leadcli.paths import DATA_FILES, ensure_private_dir

_CACHE_PREFIX = "content-"
_CACHE_KEEP = 32  # data folders remembered; each folder has one entry, replaced when it changes


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


# The code that shapes what a cache entry holds: the classes and the vocabularies they allow, the
# checks, the YAML reading, the cache's own JSON form. The key holds their bytes' CRC, not
# leadcli's version string. (Paths from this folder.)
_CODE = ("models.py", "validation.py", "yamlfile.py", "loader.py", "../vocabulary.py")


def _code_parts() -> list[str]:
    parts = []
    for name in _CODE:
        try:
            code = (Path(__file__).parent / name).read_bytes()
        except OSError:  # installed without sources: the compiled module's size and time stand in
            stat = Path(models.__file__).stat()
            return [f"{stat.st_mtime_ns}-{stat.st_size}"]
        parts.append(f"{len(code)}-{zlib.crc32(code):08x}")
    return parts


def _cache_key(raw: dict[str, bytes]) -> str:
    # CRC-32 and length of each file, not SHA-256: it needs no OpenSSL import on every start-up,
    # and a stale cache would need an edit that keeps both the length and the CRC.
    code = _code_parts()
    data = [f"{len(raw[name])}-{zlib.crc32(raw[name]):08x}" for name in DATA_FILES]
    return f"{zlib.crc32('|'.join(code).encode()):08x}-" + "-".join(data)


def load_content(data_dir: Path, *, cache_dir: Path | None = None) -> Content:
    """The validated content of `data_dir`; raises ContentError listing every problem."""
    raw = _quick_read(data_dir)
    entry = cache_dir / _cache_name(data_dir) if cache_dir is not None else None
    if raw is not None and entry is not None:
        cached = _read_cache(entry, _cache_key(raw), data_dir)
        if cached is not None:
            return cached
    content = validate_data_dir(data_dir)
    if entry is not None:
        raw = _quick_read(data_dir)
        if raw is not None:
            _write_cache(entry, _cache_key(raw), content)
    return content


def _cache_name(data_dir: Path) -> str:
    folder = str(data_dir.resolve())
    return f"{_CACHE_PREFIX}{zlib.crc32(folder.encode()):08x}.json"


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


def _trusted(path: Path) -> bool:
    """True if `path` is ours and nobody else can write it (on systems with owners)."""
    if sys.platform == "win32":
        return True
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _read_cache(path: Path, key: str, data_dir: Path) -> Content | None:
    try:
        if not (_trusted(path.parent) and _trusted(path)):
            return None
        data = json.loads(path.read_bytes())
        if data.get("key") != key:
            return None
        content = _rebuild(data["content"])
        if not isinstance(content, Content):
            return None
    except Exception:  # any unreadable, foreign or stale cache is simply rebuilt
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


def _write_cache(path: Path, key: str, content: Content) -> None:
    import tempfile

    cache_dir = path.parent
    try:
        ensure_private_dir(cache_dir)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".tmp-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"key": key, "content": _plain(content)}, handle, ensure_ascii=False)
            Path(tmp).replace(path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        entries = sorted(cache_dir.glob(f"{_CACHE_PREFIX}*.json"), key=lambda p: p.stat().st_mtime)
        for stale in entries[:-_CACHE_KEEP]:
            stale.unlink(missing_ok=True)
        for old in cache_dir.glob(f"{_CACHE_PREFIX}*.pickle"):  # written by leadcli before 0.3
            old.unlink(missing_ok=True)
    except OSError:
        return  # a cache that cannot be written only costs speed


_KIND = "__kind__"


def _plain(value: object) -> object:
    """JSON-ready data: each dataclass as a dict naming its class, tuples as lists."""
    if is_dataclass(value) and not isinstance(value, type):
        data = {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
        return {_KIND: type(value).__name__, **data}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _rebuild(data: object) -> object:
    """The inverse of `_plain`. Only the content models' own dataclasses can be made."""
    if isinstance(data, list):
        return tuple(_rebuild(v) for v in data)
    if isinstance(data, dict):
        values = {k: _rebuild(v) for k, v in data.items() if k != _KIND}
        if _KIND not in data:
            return values
        kind = _MODELS[data[_KIND]]  # KeyError for anything else: the cache is rebuilt
        return kind(**values)
    return data


_MODELS = {
    name: kind
    for name, kind in vars(models).items()
    if isinstance(kind, type) and is_dataclass(kind) and kind.__module__ == models.__name__
}


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
