"""Database housekeeping shared by the bulk loaders (demo, restore), and the queries every request makes,
compiled once (CompiledOnce)."""

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections


def refresh_planner_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    """ANALYZE Mentora's own tables after a bulk load, so the query planner knows the new sizes.

    SQLite has no statistics at all until ANALYZE runs, and without them it may choose an index
    that makes a dashboard query quadratic; PostgreSQL's autovacuum would get there, but later.
    On PostgreSQL also VACUUM (outside a transaction, where it can run): until a table is vacuumed
    its visibility map is empty, and the dashboards' index-only scans (goal counts, last held
    meetings) read every row's page as well; the first computation of a dashboard at 50,000
    mentees took a quarter longer until then.
    Only the application's tables: a database-wide ANALYZE on PostgreSQL also visits the shared
    catalogs, and waits there for any other session's transaction that holds a lock on them.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return
        tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
        if tables:
            command = "ANALYZE " if connection.in_atomic_block else "VACUUM (ANALYZE) "
            cursor.execute(command + ", ".join(connection.ops.quote_name(table) for table in tables))


class CompiledOnce:
    """A query built with the ORM and compiled to SQL once per database engine, then run with each call's own
    arguments: for the few small queries every request makes (the person signed in, their roles, time zone and
    unread count, their API token), where building and compiling the queryset took about 20 times as long as
    running it on SQLite (0.9 ms against 0.04 ms for a person's roles).

    `build(**arguments)` returns the queryset; the arguments are integers or text that reach the SQL unchanged
    as parameters (primary keys, years, a token's hash). Each is compiled as a marker value, which must come back
    among the compiled parameters: an argument the ORM transforms, or writes into the SQL text, fails loudly.
    `rows(**arguments)` answers the rows as the queryset's values_list would (each column through the converters
    Django applies to it: dates, booleans, time zones); `instances(**arguments)`, for a queryset of a model's
    own rows, answers them as model instances.
    """

    def __init__(self, build):
        self.build = build
        self._compiled: dict[tuple, _Compiled] = {}

    def rows(self, **arguments) -> list[tuple]:
        return self._run(arguments)[1]

    def instances(self, **arguments) -> list:
        compiled, rows = self._run(arguments)
        if compiled.fields is None:
            raise ValueError(f"{self.build.__qualname__} answers values, not {compiled.model.__name__} instances")
        return [compiled.model.from_db(DEFAULT_DB_ALIAS, compiled.fields, row) for row in rows]

    def _run(self, arguments: dict) -> tuple["_Compiled", list[tuple]]:
        connection = connections[DEFAULT_DB_ALIAS]
        kinds = tuple((name, type(value) is str) for name, value in sorted(arguments.items()))
        compiled = self._compiled.get((connection.vendor, kinds))
        if compiled is None:
            compiled = self._compiled[(connection.vendor, kinds)] = self._compile(dict(kinds))
        params = [arguments[name] if name is not None else value for name, value in compiled.slots]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [_converted(row, compiled.converters, connection) for row in rows]
        return compiled, rows

    def _compile(self, text: dict[str, bool]) -> "_Compiled":
        """Compiled twice, with two sets of marker values (text for a text argument): a parameter that differs
        between the two is the argument whose markers it holds; one that does not is a constant of the query."""
        names = sorted(text)
        first, second = ({name: f"compiled-once {base + index}" if text[name] else base + index
                          for index, name in enumerate(names)} for base in _MARKERS)
        (sql, params, compiler, whole), (again, other_params, _, _) = self._sql(first), self._sql(second)
        slots, found = [], set()
        for value, other in zip(params, other_params, strict=True):
            if value == other:
                slots.append((None, value))
                continue
            name = next((name for name in names if first[name] == value and second[name] == other), None)
            if name is None:
                break
            slots.append((name, None))
            found.add(name)
        if sql != again or found != set(names) or len(slots) != len(params):
            raise ValueError(f"{self.build.__qualname__}: the arguments {names} must each reach the SQL as a "
                             "parameter, unchanged")
        model = compiler.query.model
        columns = [column for column, _, _ in compiler.select[:compiler.col_count]]
        return _Compiled(sql, slots, compiler.get_converters(columns), model,
                         [field.attname for field in model._meta.concrete_fields] if whole else None)

    def _sql(self, arguments: dict) -> tuple:
        queryset = self.build(**arguments)
        whole = queryset._fields is None
        if whole:  # the model's own rows: its concrete fields, in their order (instances)
            queryset = queryset.values_list(*[field.attname for field in queryset.model._meta.concrete_fields])
        compiler = queryset.query.get_compiler(using=DEFAULT_DB_ALIAS)
        return (*compiler.as_sql(), compiler, whole)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: list  # per parameter: (argument name, None) or (None, the query's own constant)
    converters: dict
    model: type
    fields: list[str] | None  # the model's fields, in the columns' order, where the rows are whole instances


def _converted(row, converters: dict, connection) -> tuple:
    """A row through its columns' converters, as Django's SQLCompiler.apply_converters does."""
    row = list(row)
    for position, (functions, expression) in converters.items():
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return tuple(row)


# Marker values for CompiledOnce's arguments, two sets: small enough for any integer column (Django compiles a
# comparison with a value out of the column's range to no rows at all, without parameters).
_MARKERS = (31001, 32001)
