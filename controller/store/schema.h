// The controller's SQLite schema and its migrations (a version table; each migration runs once,
// in its own transaction).
#ifndef STAKEWARD_CONTROLLER_STORE_SCHEMA_H_
#define STAKEWARD_CONTROLLER_STORE_SCHEMA_H_

#include "absl/status/status.h"
#include "controller/store/sqlite_db.h"

namespace stakeward::controller {

// The schema version this build writes.
int CurrentSchemaVersion();

// Applies every migration newer than the database's version. Refuses (FAILED_PRECONDITION) a
// database written by a newer build.
absl::Status MigrateSchema(Db& db);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_STORE_SCHEMA_H_
