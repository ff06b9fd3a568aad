#include "CSQLiteHardening.h"

int clinicbox_harden_connection(sqlite3 *db) {
    int enabled = 0;
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &enabled);
    if (rc != SQLITE_OK) return rc;
    if (!enabled) return SQLITE_MISUSE;
    rc = sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &enabled);
    if (rc != SQLITE_OK) return rc;
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    return SQLITE_OK;
}

int clinicbox_configure_library(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
