// Encoding + hashing and decoding of a large delegation transaction: 50 certificates (registration,
// pool and vote delegation of script credentials), 50 withdrawals, 2 native scripts, 3 witnesses.
#include <benchmark/benchmark.h>

#include "chain/hash.h"
#include "chain/native_script.h"
#include "chain/tx.h"

namespace stakeward::chain {
namespace {

Hash28 H28(uint32_t i) {
  Hash28 h{};
  for (size_t k = 0; k < h.size(); ++k) h[k] = static_cast<uint8_t>((i * 131 + k * 7) & 0xff);
  h[0] = static_cast<uint8_t>(i);
  return h;
}

Transaction BigTransaction() {
  std::vector<NativeScript> signers;
  for (uint32_t j = 0; j < 5; ++j) signers.push_back(NativeScript::Sig(H28(1000 + j)));
  const NativeScript payment = NativeScript::AtLeast(3, signers);
  const Credential pay{Credential::Kind::kScriptHash, NativeScriptHash(payment)};
  TxBody body;
  Hash32 in{};
  in.fill(0x42);
  for (uint32_t i = 0; i < 4; ++i) body.inputs.push_back({in, i});
  DRep abstain;
  for (uint32_t i = 0; i < 50; ++i) {
    const Credential stake{Credential::Kind::kScriptHash, H28(i)};
    switch (i % 3) {
      case 0:
        body.certificates.push_back(Certificate::Registration(stake, 2000000));
        break;
      case 1:
        body.certificates.push_back(Certificate::StakeDelegation(stake, H28(500 + i)));
        break;
      default:
        body.certificates.push_back(Certificate::VoteDelegation(stake, abstain));
        break;
    }
    body.withdrawals.push_back({Address::Reward(Network::kMainnet, stake).raw, 1000000 + i});
    if (i < 10) {
      TxOut out;
      out.address = Address::Base(Network::kMainnet, pay, stake).raw;
      out.coin = 5000000000ULL + i;
      body.outputs.push_back(out);
    }
  }
  body.fee = 900000;
  body.ttl = 150000000;
  WitnessSet ws;
  ws.scripts = {payment, NativeScript::AtLeast(3, signers)};
  for (uint8_t j = 0; j < 3; ++j) {
    VkeyWitness w;
    w.vkey.fill(j);
    w.signature.fill(static_cast<uint8_t>(0x80 + j));
    ws.vkeys.push_back(w);
  }
  return MakeTransaction(std::move(body), std::move(ws), std::nullopt);
}

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
