// Encoding + hashing and decoding of a large delegation transaction: 50 certificates (registration,
// pool and vote delegation of script credentials), 50 withdrawals, 2 native scripts, 3 witnesses.
#include <benchmark/benchmark.h>

#include "bench/support/tx_fixtures.h"
#include "chain/hash.h"
#include "chain/tx.h"

namespace stakeward::chain {
namespace {

using bench::BigTransaction;

void BM_EncodeAndHash(benchmark::State& state) {
  const Transaction tx = BigTransaction();
  size_t bytes = 0;
  for (auto _ : state) {
    const Bytes body = EncodeBody(tx.body);
    const Hash32 id = TxId(View(body));
    benchmark::DoNotOptimize(id);
    Transaction t;
    t.body_bytes = body;
    t.witnesses = tx.witnesses;
    const Bytes full = EncodeTransaction(t);
    bytes = full.size();
    benchmark::DoNotOptimize(full.data());
  }
  state.counters["tx_bytes"] = static_cast<double>(bytes);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_EncodeAndHash);

void BM_Decode(benchmark::State& state) {
  const Bytes cbor = EncodeTransaction(BigTransaction());
  for (auto _ : state) {
    auto tx = DecodeTransaction(View(cbor));
    if (!tx.ok()) {
      state.SkipWithError("decode failed");
      break;
    }
    benchmark::DoNotOptimize(tx->body.certificates.data());
  }
  state.counters["tx_bytes"] = static_cast<double>(cbor.size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * cbor.size()));
}
BENCHMARK(BM_Decode);

void BM_HardwareWalletCheck(benchmark::State& state) {
  const Transaction tx = BigTransaction();
  for (auto _ : state) {
    benchmark::DoNotOptimize(CheckHardwareWalletCompatible(View(tx.body_bytes)));
  }
}
BENCHMARK(BM_HardwareWalletCheck);

}  // namespace
}  // namespace stakeward::chain

BENCHMARK_MAIN();
