"""Bounded parsing: every user file is sized, and its structure capped, before or while it is parsed.

One module for the limits every reader keeps (also in ``docs/limits.md``):

* :func:`load_json` — JSON text of at most :data:`MAX_INPUT_BYTES`, nested at most
  :data:`MAX_JSON_DEPTH` deep, with no repeated key in an object; fractions, and integers
  past Python's 4,300-digit ``int`` limit, are read as exact :class:`~decimal.Decimal` (the
  value domain then bounds them).
* :func:`load_yaml` — safe YAML (no Python objects) that refuses aliases and anchors outright
  (so an alias bomb cannot expand) and repeated keys.
* :func:`check_zip` — an XLSX (a zip archive) is measured from its central directory before
  any part is decompressed: at most :data:`MAX_ZIP_ENTRIES` parts and
  :data:`MAX_ZIP_UNCOMPRESSED` bytes in all, each part expanding at most
  :data:`MAX_ZIP_RATIO` times. Python's :mod:`zipfile` never inflates a part past the size the
  directory declares, so the check bounds the work.
* :func:`read_text` — a file read as UTF-8 text, size-checked first, with a
  :class:`~dealweb.errors.FormatError` (naming the byte) for Latin-1 or other encodings.

Every refusal is a :class:`~dealweb.errors.FormatError` naming the file and the rule.
"""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from dealweb.errors import FormatError, Problem

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_YAML_BYTES",
    "MAX_ZIP_ENTRIES",
    "MAX_ZIP_RATIO",
    "MAX_ZIP_UNCOMPRESSED",
    "check_zip",
    "load_json",
    "load_yaml",
    "read_text",
]

#: Largest file any reader opens, in bytes.
MAX_INPUT_BYTES = 256 * 2**20
#: Deepest nesting of arrays and objects in a JSON document or line.
MAX_JSON_DEPTH = 64
#: Largest scenario or other YAML document, in bytes.
MAX_YAML_BYTES = 2 * 2**20
#: Most parts (files) in an XLSX archive.
MAX_ZIP_ENTRIES = 2_000
#: Most bytes an XLSX archive may expand to, all parts together.
MAX_ZIP_UNCOMPRESSED = 512 * 2**20
#: Most a single part may expand relative to its compressed size (XML compresses ~10-20x).
MAX_ZIP_RATIO = 200


def _fail(where: str, rule: str, message: str) -> FormatError:
    return FormatError([Problem(where, "", rule, message)])


def read_text(path: Path, *, where: str | None = None, limit: int = MAX_INPUT_BYTES) -> str:
    """The file as UTF-8 text (a BOM is dropped), after checking its size."""
    where = where or path.name
    size = path.stat().st_size
    if size > limit:
        raise _fail(where, "too_large", f"is {size:,} bytes; at most {limit:,}")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(where, "encoding", f"is not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8") from None


def _integer(text: str) -> int | Decimal:
    # Python refuses int() of more than 4,300 digits; such a number stays exact as a Decimal,
    # and the value domain (dealweb.model.domain) then refuses it as out of range with its field named.
    return int(text) if len(text) <= 4_000 else Decimal(text)


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key[:80]!r} appears twice in one object")
        out[key] = value
    return out


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if level > MAX_JSON_DEPTH:
                return level
            stack.extend((v, level + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def load_json(text: str, where: str, *, one_line: bool = False, exact: bool = True) -> Any:
    """Parse JSON text by the rules above; numbers with a point or exponent (and huge integers) as Decimal
    (floats with ``exact=False``).

    >>> load_json('{"a": 1, "a": 2}', "x.json")
    Traceback (most recent call last):
    ...
    dealweb.errors.FormatError: 1 problem: x.json: is not valid JSON: the key 'a' appears twice in one object [json]
    >>> load_json("[" * 100_000, "deep.json")
    Traceback (most recent call last):
    ...
    dealweb.errors.FormatError: 1 problem: deep.json: is nested more than 64 levels deep [too_deep]
    """
    if len(text) > MAX_INPUT_BYTES:
        raise _fail(where, "too_large", f"is {len(text):,} characters; at most {MAX_INPUT_BYTES:,}")
    try:
        value = json.loads(text, parse_float=Decimal if exact else float, parse_int=_integer,
                           object_pairs_hook=_no_repeats)
    except json.JSONDecodeError as exc:
        place = f"{where} column {exc.colno}" if one_line else f"{where} line {exc.lineno} column {exc.colno}"
        raise FormatError([Problem(place, "", "json",
                                   f"is not valid JSON: {exc.msg}")]) from None
    except RecursionError:
        raise _fail(where, "too_deep", f"is nested more than {MAX_JSON_DEPTH} levels deep") from None
    except ValueError as exc:
        raise _fail(where, "json", f"is not valid JSON: {str(exc)[:200]}") from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise _fail(where, "too_deep", f"is nested more than {MAX_JSON_DEPTH} levels deep")
    return value


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases (no expansion bombs) and without repeated keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in dealweb files",
                                              event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                repeated = key in seen
                seen.add(key)
            except TypeError:
                continue  # an unhashable key: the base class reports it
            if repeated:
                raise yaml.constructor.ConstructorError(None, None, f"the key {str(key)[:80]!r} appears twice",
                                                        key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


def _scalar_text(loader: yaml.SafeLoader, node: Any) -> Any:
    return loader.construct_scalar(node)


# Dates stay text (``as_of: 2025-13-40`` is then a clear date problem of the reader, not a crash of the parser).
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _scalar_text)


def load_yaml(text: str, where: str) -> Any:
    """Parse YAML text safely: no aliases, no repeated keys, at most :data:`MAX_YAML_BYTES`.

    >>> try:
    ...     load_yaml("a: &x [1, 2]\\nb: *x\\n", "s.yaml")
    ... except FormatError as exc:
    ...     print(exc.problems[0].where, exc.problems[0].rule)
    s.yaml line 2 yaml
    """
    if len(text) > MAX_YAML_BYTES:
        raise _fail(where, "too_large", f"is {len(text):,} characters; at most {MAX_YAML_BYTES:,}")
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: plain data only
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        place = f"{where} line {mark.line + 1}" if mark is not None else where
        raise FormatError([Problem(place, "", "yaml", f"is not valid YAML: {exc.problem}")]) from None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError) as exc:
        raise _fail(where, "yaml", f"is not valid YAML: {str(exc)[:200] or type(exc).__name__}") from None


def check_zip(path: Path, *, where: str | None = None) -> None:
    """Refuse an archive that is too large, has too many parts or expands too much (read from its directory)."""
    where = where or path.name
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise _fail(where, "too_large", f"is {size:,} bytes; at most {MAX_INPUT_BYTES:,}")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _fail(where, "xlsx", f"is not an .xlsx workbook ({exc})") from None
    if len(parts) > MAX_ZIP_ENTRIES:
        raise _fail(where, "too_large", f"holds {len(parts):,} parts; at most {MAX_ZIP_ENTRIES:,}")
    total = sum(p.file_size for p in parts)
    if total > MAX_ZIP_UNCOMPRESSED:
        raise _fail(where, "too_large", f"expands to {total:,} bytes; at most {MAX_ZIP_UNCOMPRESSED:,}")
    for p in parts:
        if p.file_size > 1_000_000 and p.file_size > MAX_ZIP_RATIO * max(p.compress_size, 1):
            raise _fail(where, "too_large", f"part {p.filename[:80]!r} expands {p.file_size // max(p.compress_size, 1):,} "
                                            f"times; at most {MAX_ZIP_RATIO} (a decompression bomb?)")
