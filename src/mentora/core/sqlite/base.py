"""SQLite as Mentora runs it: web requests and workers writing to one file at the same time.

WAL lets readers and one writer work together; the busy timeout makes a writer wait for another
one; ``transaction_mode = IMMEDIATE`` takes the write lock when a transaction begins, so a
transaction never has to upgrade a read lock it holds (which SQLite refuses without waiting).

One way to hold a read lock remained: ``QuerySet.iterator()`` reads its rows in chunks from a
SELECT that stays open between chunks, and in autocommit an open SELECT holds its WAL snapshot.
A loop that writes while it iterates (the import's invitations, the reminder scans) then needs the
snapshot upgraded to a write lock, and if any other connection committed since the SELECT began
(a web request saving a session) SQLite fails at once with "database is locked"
(SQLITE_BUSY_SNAPSHOT): the busy timeout does not apply. So here ``iterator()`` reads the whole
result before the loop body runs, as Django does for backends without chunked reads. Mentora's
SQLite databases are a program's, not a national network's: the rows fit in memory.
"""

from django.db.backends.sqlite3 import base, features


class DatabaseFeatures(features.DatabaseFeatures):
    can_use_chunked_reads = False


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
