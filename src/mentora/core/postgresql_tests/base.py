"""PostgreSQL as the test suite uses it: Django's backend, with tables emptied by DELETE instead of TRUNCATE.

A transactional test (and every browser test, whose live server needs committed rows) ends with
Django's `flush`, which empties every table. Django's backend does that with one TRUNCATE of all of
them; TRUNCATE gives each table and index a new file, and for Mentora's ~110 nearly empty tables that
took 3 to 5 seconds of the server's CPU per test on a busy machine, where DELETE of the same tables
takes a tenth of that. The foreign keys Django creates are deferred, so the order of the DELETEs does
not matter within the flush's transaction. Asked to reset sequences, or to cascade into tables
outside the list, the flush is Django's TRUNCATE.

Only the test settings name this backend (mentora.config.settings, when testing on PostgreSQL).
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
