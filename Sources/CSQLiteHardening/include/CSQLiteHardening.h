#ifndef CSQLITE_HARDENING_H
#define CSQLITE_HARDENING_H

#include <sqlite3.h>

/// Applies the connection settings a tenant database must always have:
/// SQLITE_DBCONFIG_DEFENSIVE on, no ATTACH (limit 0), untrusted schema.
/// A C function because sqlite3_db_config is variadic, which Swift cannot call.
/// Returns SQLITE_OK or the first error code.
int clinicbox_harden_connection(sqlite3 *db);

/// Process-wide settings, before SQLite is first used: no memory statistics, which would take one global mutex
/// around every allocation of every connection. Returns SQLITE_MISUSE when SQLite was already in use.
int clinicbox_configure_library(void);

#endif
