"""Check a matching instance against the shipped JSON Schema and the rules a schema cannot say.

`check_instance` trusts nothing and returns an `Instance` the rest of the engine trusts. Every
problem is reported as an `InstanceError` whose text starts with the JSON path, e.g.
``mentees[3].id: duplicate id "r7"``.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

DEFAULT_TOP_K = 50


class InstanceError(ValueError):
    """Bad input: `path` is the JSON path of the offending value, `message` says what is wrong."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


@dataclass
class Person:
    id: str
    capacity: int
    attributes: dict[str, Any]
    weights: dict[str, float]
    ranking: list[str] | None


@dataclass
class Instance:
    """A checked instance. Pairs are held as integer indices (mentee index, mentor index)."""

    mentees: list[Person]
    mentors: list[Person]
    weights: dict[str, float] = field(default_factory=dict)
    given_scores: dict[tuple[int, int], float] = field(default_factory=dict)
    forbidden: set[tuple[int, int]] = field(default_factory=set)
    previous: set[tuple[int, int]] = field(default_factory=set)
    allow_previous: bool = False
    top_k: int = DEFAULT_TOP_K

    @property
    def excluded(self) -> set[tuple[int, int]]:
        """Pairs that may never be matched: forbidden ones, and previous ones unless allowed."""
        if self.allow_previous:
            return self.forbidden
        return self.forbidden | self.previous

    def excluded_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        pairs = sorted(self.excluded)
        if not pairs:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        array = np.asarray(pairs, dtype=np.int64)
        return array[:, 0], array[:, 1]

    @property
    def mentee_capacity(self) -> np.ndarray:
        return np.fromiter((p.capacity for p in self.mentees), dtype=np.int64, count=len(self.mentees))

    @property
    def mentor_capacity(self) -> np.ndarray:
        return np.fromiter((p.capacity for p in self.mentors), dtype=np.int64, count=len(self.mentors))


@cache
def instance_schema() -> dict[str, Any]:
    """The JSON Schema of an instance, as shipped in the package."""
    text = resources.files("mentora.matching").joinpath("instance.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _validator() -> Any:
    import jsonschema  # lazily: only `mentora match` validates an instance file; the engine does not need it

    schema = instance_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    return validator_class(schema)


def json_path(parts: Iterable[Any]) -> str:
    """Render a JSON path the way people read it: ``mentees[3].attributes.languages[0]``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(instance)"


def _schema_error(error: Any) -> InstanceError:
    message = error.message
    if error.validator == "additionalProperties":
        message = message.replace("Additional properties are not allowed", "unknown field")
    return InstanceError(json_path(error.absolute_path), message)


Check = Callable[[Any], bool]
_SUPPORTED = {"$schema", "$id", "title", "description", "$defs", "$ref", "type", "required", "properties",
              "additionalProperties", "items", "prefixItems", "minItems", "maxItems", "minimum", "maximum",
              "minLength", "maxLength", "pattern", "enum", "propertyNames"}


def _is_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if name == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer())
    if name == "null":
        return value is None
    raise ValueError(f"unsupported type {name}")


class _Placeholder:
    def __call__(self, value: Any) -> bool:
        raise AssertionError("unresolved recursive schema definition")


def _compile(node: dict[str, Any], definitions: dict[str, Any], cache: dict[str, Check]) -> Check:
    """A yes/no checker for the JSON Schema keywords the instance schema uses (fast path).

    It answers only "valid or not"; jsonschema itself then finds and words the error. An unknown
    keyword makes compilation fail, so the schema cannot grow beyond what this checker understands.
    """
    unknown = set(node) - _SUPPORTED
    if unknown:
        raise ValueError(f"schema keywords {sorted(unknown)} are not supported by the fast checker")
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        if name not in cache:
            cache[name] = _Placeholder()  # for recursive definitions
            compiled = _compile(definitions[name], definitions, cache)
            cache[name] = compiled
        if not isinstance(cache[name], _Placeholder):
            return cache[name]
        return lambda value: cache[name](value)
    checks: list[Check] = []
    if "type" in node:
        type_name = node["type"]
        python_type = {"object": dict, "array": list, "string": str}.get(type_name)
        if python_type is not None:
            checks.append(lambda value: isinstance(value, python_type))
        else:
            checks.append(lambda value: _is_type(value, type_name))
    if "enum" in node:
        options = node["enum"]
        if all(isinstance(o, str) for o in options):
            strings = frozenset(options)
            checks.append(lambda value: isinstance(value, str) and value in strings)
        else:
            checks.append(lambda value: any(value == o and type(value) is type(o) for o in options))
    if "minimum" in node:
        low = node["minimum"]
        checks.append(lambda value: not _is_type(value, "number") or value >= low)
    if "maximum" in node:
        high = node["maximum"]
        checks.append(lambda value: not _is_type(value, "number") or value <= high)
    if "minLength" in node:
        shortest = node["minLength"]
        checks.append(lambda value: not isinstance(value, str) or len(value) >= shortest)
    if "maxLength" in node:
        longest = node["maxLength"]
        checks.append(lambda value: not isinstance(value, str) or len(value) <= longest)
    if "pattern" in node:
        pattern = re.compile(node["pattern"])
        checks.append(lambda value: not isinstance(value, str) or pattern.search(value) is not None)
    if "minItems" in node:
        fewest = node["minItems"]
        checks.append(lambda value: not isinstance(value, list) or len(value) >= fewest)
    if "maxItems" in node:
        most = node["maxItems"]
        checks.append(lambda value: not isinstance(value, list) or len(value) <= most)
    if "prefixItems" in node:
        prefix = [_compile(item, definitions, cache) for item in node["prefixItems"]]
        checks.append(lambda value: not isinstance(value, list) or all(
            check(item) for check, item in zip(prefix, value, strict=False)))
    if "items" in node:
        item_check = _compile(node["items"], definitions, cache)
        skip = len(node.get("prefixItems", ()))
        checks.append(lambda value: not isinstance(value, list) or all(item_check(v) for v in value[skip:]))
    if "required" in node:
        required = node["required"]
        checks.append(lambda value: not isinstance(value, dict) or all(k in value for k in required))
    properties = {k: _compile(v, definitions, cache) for k, v in node.get("properties", {}).items()}
    additional = node.get("additionalProperties", True)
    additional_check = _compile(additional, definitions, cache) if isinstance(additional, dict) else None
    names_check = _compile(node["propertyNames"], definitions, cache) if "propertyNames" in node else None
    if properties or additional is not True or names_check:
        def check_object(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for key, item in value.items():
                if names_check is not None and not names_check(key):
                    return False
                property_check = properties.get(key)
                if property_check is not None:
                    if not property_check(item):
                        return False
                elif additional is False or additional_check is not None and not additional_check(item):
                    return False
            return True

        checks.append(check_object)
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    return lambda value: all(check(value) for check in checks)


@cache
def fast_schema_check() -> Check:
    schema = instance_schema()
    return _compile(schema, schema.get("$defs", {}), {})


def check_schema(document: Any) -> None:
    """Raise the first schema violation (in document order) as an InstanceError.

    A compiled yes/no checker of the same schema runs first (jsonschema needs about a millisecond
    per person, minutes for 100,000 people); jsonschema runs when it says no, to find and word the error.
    """
    if fast_schema_check()(document):
        return
    errors = list(_validator().iter_errors(document))
    if not errors:
        raise AssertionError("the fast schema checker rejected a valid document")  # a bug, not bad input
    # Report the deepest, earliest error: it names the value to fix, not the array that holds it.
    def key(error: Any) -> tuple[list[Any], int]:
        return ([(0, p) if isinstance(p, int) else (1, str(p)) for p in error.absolute_path], -len(error.path))

    raise _schema_error(min(errors, key=key))


SCHEMA_CHECK_IN_CHILD_PEOPLE = 20_000  # from this many people, `solve` checks the schema in a forked process


class SchemaCheckInChild:
    """The yes/no schema check of a document, run by a forked child process while this one goes on.

    `solve` builds the instance and its scorer (pure Python, about as long as the check) meanwhile, so
    the check costs no time on a second core. `finish()` waits for the verdict and, when the document
    does not pass (or the child could not tell), runs `check_schema` here, which words the error: the
    same error as checking first.
    """

    def __init__(self, document: Any) -> None:
        self.document = document
        check = fast_schema_check()  # compiled before the fork: the child only runs it
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: answer one byte and leave without running the parent's exit handlers
            try:
                gc.disable()  # the collector would touch (and copy) every page of the shared document
                os.close(read)
                os.write(write, b"1" if check(document) else b"0")
            finally:
                os._exit(0)
        os.close(write)
        self.pid, self.read = pid, read

    @classmethod
    def start(cls, document: Any) -> SchemaCheckInChild | None:
        """A running check for a large document where processes can fork, else None (check in line)."""
        if not hasattr(os, "fork") or not isinstance(document, dict):
            return None
        people = sum(len(document.get(side)) for side in ("mentees", "mentors")
                     if isinstance(document.get(side), list))
        return cls(document) if people >= SCHEMA_CHECK_IN_CHILD_PEOPLE else None

    def _verdict(self) -> bool:
        try:
            answer = os.read(self.read, 1)
        finally:
            os.close(self.read)
            os.waitpid(self.pid, 0)
        return answer == b"1"

    def finish(self) -> None:
        """Raise the document's first schema violation as `check_schema` does; return if it has none."""
        if not self._verdict():
            check_schema(self.document)

    def cancel(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._verdict()


def _people(items: list[dict[str, Any]], side: str) -> tuple[list[Person], dict[str, int]]:
    people: list[Person] = []
    index: dict[str, int] = {}
    for position, item in enumerate(items):
        person_id = item["id"]
        if person_id in index:
            raise InstanceError(f"{side}[{position}].id", f'duplicate id "{person_id}"')
        index[person_id] = position
        people.append(
            Person(
                id=person_id,
                capacity=int(item.get("capacity", 1)),
                attributes=item.get("attributes") or {},
                weights={k: float(v) for k, v in (item.get("weights") or {}).items()},
                ranking=list(item["ranking"]) if "ranking" in item else None,
            )
        )
    return people, index


def _check_ranking(people: list[Person], side: str, other_index: dict[str, int], other_side: str) -> None:
    for position, person in enumerate(people):
        if person.ranking is None:
            continue
        seen: set[str] = set()
        for rank, other_id in enumerate(person.ranking):
            path = f"{side}[{position}].ranking[{rank}]"
            if other_id not in other_index:
                raise InstanceError(path, f'unknown {other_side[:-1]} "{other_id}"')
            if other_id in seen:
                raise InstanceError(path, f'"{other_id}" is ranked twice')
            seen.add(other_id)


def _pairs(
    document: dict[str, Any], key: str, mentee_index: dict[str, int], mentor_index: dict[str, int]
) -> set[tuple[int, int]]:
    result: set[tuple[int, int]] = set()
    for position, (mentee_id, mentor_id) in enumerate(document.get(key, [])):
        if mentee_id not in mentee_index:
            raise InstanceError(f"{key}[{position}][0]", f'unknown mentee "{mentee_id}"')
        if mentor_id not in mentor_index:
            raise InstanceError(f"{key}[{position}][1]", f'unknown mentor "{mentor_id}"')
        result.add((mentee_index[mentee_id], mentor_index[mentor_id]))
    return result


def check_instance(document: Any, *, top_k: int | None = None, schema: bool = True) -> Instance:
    """Validate a decoded instance document and return the trusted `Instance`.

    `top_k` (from the command line) overrides the document's `top_k`. `schema=False` skips the
    JSON Schema pass for callers that built the document themselves (the semantic checks still run).
    """
    if schema:
        check_schema(document)
    elif not isinstance(document, dict) or "mentees" not in document or "mentors" not in document:
        raise InstanceError("(instance)", "an object with mentees and mentors is required")
    mentees, mentee_index = _people(document["mentees"], "mentees")
    mentors, mentor_index = _people(document["mentors"], "mentors")
    _check_ranking(mentees, "mentees", mentor_index, "mentors")
    _check_ranking(mentors, "mentors", mentee_index, "mentees")

    given: dict[tuple[int, int], float] = {}
    for position, entry in enumerate(document.get("scores", [])):
        if entry["mentee"] not in mentee_index:
            raise InstanceError(f"scores[{position}].mentee", f'unknown mentee "{entry["mentee"]}"')
        if entry["mentor"] not in mentor_index:
            raise InstanceError(f"scores[{position}].mentor", f'unknown mentor "{entry["mentor"]}"')
        pair = (mentee_index[entry["mentee"]], mentor_index[entry["mentor"]])
        if pair in given:
            raise InstanceError(
                f"scores[{position}]", f'duplicate score for "{entry["mentee"]}" and "{entry["mentor"]}"'
            )
        given[pair] = float(entry["score"])

    if top_k is not None and top_k < 1:
        raise InstanceError("top_k", f"must be at least 1, got {top_k}")
    return Instance(
        mentees=mentees,
        mentors=mentors,
        weights={k: float(v) for k, v in (document.get("weights") or {}).items()},
        given_scores=given,
        forbidden=_pairs(document, "forbidden", mentee_index, mentor_index),
        previous=_pairs(document, "previous", mentee_index, mentor_index),
        allow_previous=bool(document.get("allow_previous", False)),
        top_k=int(top_k if top_k is not None else document.get("top_k", DEFAULT_TOP_K)),
    )


def check_stable_capacities(instance: Instance) -> None:
    """The stable algorithm matches each mentee to one mentor: mentee capacity must be 1."""
    for position, person in enumerate(instance.mentees):
        if person.capacity != 1:
            raise InstanceError(
                f"mentees[{position}].capacity", f"the stable algorithm needs capacity 1, got {person.capacity}"
            )
