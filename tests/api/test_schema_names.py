"""The OpenAPI document names each schema by its class name, so two classes of one name overwrite each other
(a client generated from the document then builds the wrong body). Every schema name is used once."""

import inspect
import sys

from ninja import Schema

# Same-named classes that landed before this check, each with its owner's fix due.
KNOWN = {"ConflictOut", "ProposalIn"}


def test_schema_class_names_are_unique_across_the_api():
    import mentora.config.api  # noqa: F401 - loads every domain's api module

    modules: dict[str, set[str]] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("mentora.") or not (name.endswith(".api") or name.startswith("mentora.api.")):
            continue
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, Schema) and value.__module__ == name:
                modules.setdefault(value.__name__, set()).add(name)
    twice = {schema: sorted(found) for schema, found in modules.items() if len(found) > 1 and schema not in KNOWN}
    assert not twice, f"schema names used by more than one class: {twice}"
