// stakeward-compare: Stakeward's side of bench/compare/run.sh, and the native references that run
// in-process (libsodium signing, raw SQLite commits). Every timing is the median over batches of
// the per-operation time; the node and python references use the same method (timing.mjs,
// json_parse.py), so their ratios compare like with like.
//
//   stakeward-compare fixtures SAMPLE_SNAPSHOT_JSON OUT_DIR   writes big_tx.cbor, small_tx.cbor,
//                                                              snapshot_3000.json
//   stakeward-compare decode FILE                              DecodeTransaction, µs per op
//   stakeward-compare snapshot FILE                            LoadSnapshot + SnapshotHash, ms
//   stakeward-compare sign                                     Sign (key held), Sign (XPrv),
//                                                              libsodium crypto_sign_detached, µs
//   stakeward-compare sqlite DIR COUNT                         WAL, synchronous=FULL, one insert
//                                                              per commit: commits per second
#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "bench/support/big_snapshot.h"
#include "bench/support/tx_fixtures.h"
#include "chain/hash.h"
#include "chain/keys.h"
#include "chain/tx.h"
#include "policy/snapshot.h"

namespace {

using Clock = std::chrono::steady_clock;

// Medians over `batches` of the per-op time (µs) of `n` calls of each op, the ops' batches taken
// in turn, so a slower stretch of the shared machine touches every op alike.
std::vector<double> InterleavedMedianMicros(int batches, int n,
                                            const std::vector<std::function<void()>>& ops) {
  std::vector<std::vector<double>> per_op(ops.size());
  for (int b = 0; b < batches; ++b) {
    for (size_t k = 0; k < ops.size(); ++k) {
      const auto t0 = Clock::now();
      for (int i = 0; i < n; ++i) ops[k]();
      const std::chrono::duration<double, std::micro> d = Clock::now() - t0;
      per_op[k].push_back(d.count() / n);
    }
  }
  std::vector<double> medians;
  for (auto& v : per_op) {
    std::sort(v.begin(), v.end());
    medians.push_back(v[v.size() / 2]);
  }
  return medians;
}

double MedianMicros(int batches, int n, const std::function<void()>& op) {
  return InterleavedMedianMicros(batches, n, {op})[0];
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(2);
  }
  return ss.str();
}

void Write(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::exit(2);
  }
}

std::string AsString(const stakeward::chain::Bytes& b) { return std::string(b.begin(), b.end()); }

int Fixtures(const std::string& sample_path, const std::string& dir) {
  namespace sb = stakeward::bench;
  Write(dir + "/big_tx.cbor", AsString(EncodeTransaction(sb::BigTransaction())));
  Write(dir + "/small_tx.cbor", AsString(EncodeTransaction(sb::SmallTransaction())));
  nlohmann::json sample = nlohmann::json::parse(Slurp(sample_path));
  for (auto& slot : sample["slots"]) slot.erase("address");
  Write(dir + "/snapshot_3000.json", sb::CloneSnapshot(sample, 3000).dump());
  return 0;
}

int Decode(const std::string& path) {
  const std::string bytes = Slurp(path);
  const stakeward::chain::ByteView view(reinterpret_cast<const uint8_t*>(bytes.data()),
                                        bytes.size());
  if (!stakeward::chain::DecodeTransaction(view).ok()) {
    std::fprintf(stderr, "%s does not decode\n", path.c_str());
    return 1;
  }
  const int n = bytes.size() > 2000 ? 2000 : 20000;
  const double us = MedianMicros(21, n, [&] {
    auto tx = stakeward::chain::DecodeTransaction(view);
    if (!tx.ok()) std::abort();
  });
  std::printf("decode_us %.3f bytes %zu\n", us, bytes.size());
  return 0;
}

int Snapshot(const std::string& path) {
  const std::string text = Slurp(path);
  const double us = MedianMicros(11, 1, [&] {
    auto s = stakeward::policy::LoadSnapshot(text);
    if (!s.ok()) std::abort();
    (void)stakeward::policy::SnapshotHash(*s);
  });
  std::printf("snapshot_ms %.3f bytes %zu\n", us / 1000, text.size());
  return 0;
}

int Sign() {
  namespace c = stakeward::chain;
  if (sodium_init() < 0) return 1;
  std::array<uint8_t, 96> raw{};
  for (size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<uint8_t>(i * 7 + 1);
  raw[0] &= 248;  // a well-formed extended key: kL clamped as BIP32-Ed25519 requires
  raw[31] = (raw[31] & 31) | 64;
  const c::XPrv xprv(raw);
  const c::SigningKey held(xprv);
  std::array<uint8_t, crypto_sign_PUBLICKEYBYTES> pk;
  std::array<uint8_t, crypto_sign_SECRETKEYBYTES> sk;
  std::array<uint8_t, crypto_sign_SEEDBYTES> seed{};
  seed.fill(7);
  crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  c::Hash32 body = c::Blake2b256(c::View(std::string("stakeward")));
  c::Signature sig;
  const std::vector<double> us = InterleavedMedianMicros(
      31, 300,
      {[&] {
         sig = c::Sign(held, c::View(body));
         body[0] ^= sig[0];
       },
       [&] {
         sig = c::Sign(xprv, c::View(body));
         body[0] ^= sig[0];
       },
       [&] {
         crypto_sign_detached(sig.data(), nullptr, body.data(), body.size(), sk.data());
         body[0] ^= sig[0];
       }});
  const double held_us = us[0], xprv_us = us[1], sodium_us = us[2];
  std::printf("sign_held_us %.3f\nsign_xprv_us %.3f\nsodium_sign_us %.3f\n", held_us, xprv_us,
              sodium_us);
  return 0;
}

int Sqlite(const std::string& dir, int count) {
  const std::string path = dir + "/raw-commit.sqlite";
  std::remove(path.c_str());
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return 1;
  auto exec = [&](const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
      std::exit(1);
    }
  };
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=FULL");
  exec("CREATE TABLE w (id INTEGER PRIMARY KEY, proposal BLOB, vkey BLOB, signature BLOB)");
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO w (proposal, vkey, signature) VALUES (?, ?, ?)", -1, &ins,
                     nullptr);
  std::array<uint8_t, 64> blob{};
  const auto t0 = Clock::now();
  for (int i = 0; i < count; ++i) {
    blob[0] = static_cast<uint8_t>(i);
    exec("BEGIN IMMEDIATE");
    sqlite3_bind_blob(ins, 1, blob.data(), 32, SQLITE_TRANSIENT);
    sqlite3_bind_blob(ins, 2, blob.data(), 32, SQLITE_TRANSIENT);
    sqlite3_bind_blob(ins, 3, blob.data(), 64, SQLITE_TRANSIENT);
    if (sqlite3_step(ins) != SQLITE_DONE) return 1;
    sqlite3_reset(ins);
    exec("COMMIT");
  }
  const std::chrono::duration<double> d = Clock::now() - t0;
  sqlite3_finalize(ins);
  sqlite3_close(db);
  std::remove(path.c_str());
  std::printf("sqlite_commits_per_s %.1f\n", count / d.count());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() == 3 && a[0] == "fixtures") return Fixtures(a[1], a[2]);
  if (a.size() == 2 && a[0] == "decode") return Decode(a[1]);
  if (a.size() == 2 && a[0] == "snapshot") return Snapshot(a[1]);
  if (a.size() == 1 && a[0] == "sign") return Sign();
  if (a.size() == 3 && a[0] == "sqlite") return Sqlite(a[1], std::stoi(a[2]));
  std::fprintf(stderr,
               "usage: stakeward-compare fixtures SAMPLE OUT_DIR | decode FILE | snapshot FILE | "
               "sign | sqlite DIR COUNT\n");
  return 2;
}
