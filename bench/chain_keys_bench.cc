// Key-handling speed: soft public derivation, extended-key signing, EIP-1559 sign + recover.
#include <sodium.h>

#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "chain/check.h"
#include "chain/evm.h"
#include "chain/hash.h"
#include "chain/keys.h"

namespace stakeward::chain {
namespace {

constexpr char kMnemonic[] = "all all all all all all all all all all all all";

XPrv AccountKey() {
  absl::StatusOr<XPrv> root = MasterKeyFromMnemonic(kMnemonic, "", Derivation::kIcarus);
  SW_CHECK(root.ok());
  return DerivePath(*root, Path{{kHardened | 1854, kHardened | 1815, kHardened}});
}

// 1,000 soft children (role 0, indexes 0..999) of an account xpub.
void BM_DerivePublicSoft1000(benchmark::State& state) {
  const XPub account = ToPublic(AccountKey());
  const XPub role = *DerivePublicChild(account, 0);
  for (auto _ : state) {
    for (uint32_t i = 0; i < 1000; ++i) {
      absl::StatusOr<XPub> child = DerivePublicChild(role, i);
      benchmark::DoNotOptimize(child);
    }
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_DerivePublicSoft1000)->Unit(benchmark::kMillisecond);

// 1,000 soft children derived privately, for comparison.
void BM_DerivePrivateSoft1000(benchmark::State& state) {
  const XPrv role = DeriveChild(AccountKey(), 0);
  for (auto _ : state) {
    for (uint32_t i = 0; i < 1000; ++i) {
      XPrv child = DeriveChild(role, i);
      benchmark::DoNotOptimize(child.bytes());
    }
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_DerivePrivateSoft1000)->Unit(benchmark::kMillisecond);

std::vector<Hash32> Bodies() {
  std::vector<Hash32> bodies(1000);
  for (uint32_t i = 0; i < bodies.size(); ++i) {
    uint8_t seed[4] = {uint8_t(i), uint8_t(i >> 8), 0, 0};
    bodies[i] = Blake2b256(ByteView(seed, 4));
  }
  return bodies;
}

// 1,000 signatures over distinct 32-byte bodies (tx ids) with one key: an XPrv (public key
// recomputed per signature) or a SigningKey (held, as a signer signing many bodies keeps it).
template <typename Key>
void BM_Sign1000(benchmark::State& state) {
  const Key key(DerivePath(AccountKey(), Path{{2, 0}}));
  const std::vector<Hash32> bodies = Bodies();
  for (auto _ : state) {
    for (const Hash32& body : bodies) {
      Signature sig = Sign(key, View(body));
      benchmark::DoNotOptimize(sig);
    }
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK_TEMPLATE(BM_Sign1000, XPrv)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_Sign1000, SigningKey)->Unit(benchmark::kMillisecond);

// Reference: libsodium's own Ed25519 signing (crypto_sign_detached) of the same bodies.
void BM_SodiumSign1000(benchmark::State& state) {
  SW_CHECK(sodium_init() >= 0);
  std::array<uint8_t, crypto_sign_PUBLICKEYBYTES> pk;
  std::array<uint8_t, crypto_sign_SECRETKEYBYTES> sk;
  std::array<uint8_t, crypto_sign_SEEDBYTES> seed{};
  seed.fill(7);
  crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  const std::vector<Hash32> bodies = Bodies();
  for (auto _ : state) {
    for (const Hash32& body : bodies) {
      Signature sig;
      crypto_sign_detached(sig.data(), nullptr, body.data(), body.size(), sk.data());
      benchmark::DoNotOptimize(sig);
    }
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_SodiumSign1000)->Unit(benchmark::kMillisecond);

void BM_Eip1559SignRecover(benchmark::State& state) {
  absl::StatusOr<std::array<uint8_t, 64>> seed = MnemonicToSeed(kMnemonic, "");
  SW_CHECK(seed.ok());
  absl::StatusOr<evm::Secp256k1Key> master = evm::Secp256k1Key::MasterFromSeed(View(*seed));
  SW_CHECK(master.ok());
  absl::StatusOr<evm::Secp256k1Key> key =
      master->DerivePath(Path{{kHardened | 44, kHardened | 60, kHardened, 0, 0}});
  SW_CHECK(key.ok());
  evm::Eip1559Tx tx;
  tx.chain_id = 2001;
  tx.max_priority_fee_per_gas = evm::U256::FromUint64(1000000000);
  tx.max_fee_per_gas = evm::U256::FromUint64(60000000000);
  tx.gas_limit = evm::U256::FromUint64(120000);
  tx.to = *evm::ParseAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  tx.value = evm::LovelaceToWei(chain::Lovelace(500000000));
  tx.data = evm::EncodeAccreditToPool(evm::U256::FromUint64(1));
  uint64_t nonce = 0;
  for (auto _ : state) {
    tx.nonce = evm::U256::FromUint64(nonce++);
    evm::EvmSignature sig = evm::SignHash(*key, evm::SigningHash(tx));
    absl::StatusOr<evm::Address> sender = evm::RecoverSender(tx, sig);
    benchmark::DoNotOptimize(sender);
  }
}
BENCHMARK(BM_Eip1559SignRecover)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace stakeward::chain

BENCHMARK_MAIN();
