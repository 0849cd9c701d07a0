#ifndef PORTDAILY_CSQLITESETUP_H
#define PORTDAILY_CSQLITESETUP_H

/// Turns off SQLite's memory statistics, which take a process-wide mutex on every allocation
/// SQLite makes. Only effective before SQLite is first used in the process (sqlite3_config);
/// returns SQLITE_OK when it took effect, SQLITE_MISUSE when SQLite was already in use.
/// (sqlite3_config is variadic, so Swift cannot call it directly.)
int portdaily_sqlite_disable_memory_statistics(void);

/// Stops the connection `db` (a `sqlite3 *`) from checkpointing the WAL into the database file
/// when it is the last to close: a damaged store's file must not be written again.
/// (sqlite3_db_config is variadic too.) Returns SQLITE_OK when it took effect.
int portdaily_sqlite_no_checkpoint_on_close(void *db);

#endif
