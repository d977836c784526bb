// Crash-test kill points (issue 12). In builds with STAKEWARD_FAULT_INJECTION (every preset but
// release), STAKEWARD_TEST_KILL_AT_WRITE=N makes the process SIGKILL itself at the N-th write
// event on a database connection: a row written, a commit about to happen, a commit done. The
// crash tests walk N over every commit path; release builds ignore the variable.
#ifndef STAKEWARD_CONTROLLER_STORE_KILL_POINTS_H_
#define STAKEWARD_CONTROLLER_STORE_KILL_POINTS_H_

#include <sqlite3.h>

namespace stakeward::controller {

inline constexpr char kKillAtWriteEnv[] = "STAKEWARD_TEST_KILL_AT_WRITE";

// Installs the hooks on `db` when the variable is set (and the build allows it).
void InstallKillPoints(sqlite3* db);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_STORE_KILL_POINTS_H_
