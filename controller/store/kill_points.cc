#include "controller/store/kill_points.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/numbers.h"

namespace stakeward::controller {
namespace {

std::atomic<long> g_events{0};
long g_kill_at = 0;

void Event(const char* what, const char* table) {
  const long n = ++g_events;
  if (n != g_kill_at) return;
  std::fprintf(stderr, "stakewardd: test kill point %ld (%s%s%s)\n", n, what, table ? " " : "",
               table ? table : "");
  std::fflush(stderr);
  ::kill(::getpid(), SIGKILL);
}

void OnRow(void*, int, const char*, const char* table, sqlite3_int64) { Event("row", table); }
int OnCommit(void*) {
  Event("commit", nullptr);
  return 0;  // let it commit
}
// The WAL hook replaces SQLite's auto-checkpoint hook: checkpoint as it would (1000 pages).
int OnCommitted(void*, sqlite3* db, const char* name, int pages) {
  Event("committed", nullptr);
  if (pages >= 1000) sqlite3_wal_checkpoint(db, name);
  return SQLITE_OK;
}

}  // namespace

void InstallKillPoints(sqlite3* db) {
#ifdef STAKEWARD_FAULT_INJECTION
  const char* v = std::getenv(kKillAtWriteEnv);
  long at = 0;
  if (v == nullptr || !absl::SimpleAtoi(v, &at) || at <= 0) return;
  g_kill_at = at;
  sqlite3_update_hook(db, OnRow, nullptr);
  sqlite3_commit_hook(db, OnCommit, nullptr);
  sqlite3_wal_hook(db, OnCommitted, nullptr);
#else
  (void)db;
#endif
}

}  // namespace stakeward::controller
