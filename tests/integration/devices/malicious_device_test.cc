// A lying device (mock --malicious other-key | other-body | wrong-pubkey): every mode on both
// mocks must end in DATA_LOSS with nothing returned, for Cardano witnesses (with and without the
// policy's account xpub) and for the EIP-1559 deposit signature.
#include <string>
#include <vector>

#include "chain/evm.h"
#include "devices/signer/signer.h"
#include "gtest/gtest.h"
#include "tests/integration/devices/device_test_util.h"
#include "tests/integration/devices/mock_process.h"

namespace stakeward::devices {
namespace {

using absl::StatusCode;
using testing::P;

struct MaliceCase {
  std::string name;
  std::string executable;
  std::string scheme;
  std::string mode;  // --malicious value
};

std::ostream& operator<<(std::ostream& os, const MaliceCase& c) { return os << c.name; }

class MaliciousDevice : public ::testing::TestWithParam<MaliceCase> {
 protected:
  bool ledger() const { return GetParam().executable == "mock-ledger"; }
  const char* seed() const { return ledger() ? testing::kSpeculosSeed : testing::kTrezorSeed; }
  chain::Derivation derivation() const {
    return ledger() ? chain::Derivation::kLedger : chain::Derivation::kIcarusTrezor;
  }

  // Starts the mock; nullptr (and a skip) if it is not built.
  std::unique_ptr<Signer> Start(const std::vector<std::string>& extra, SignerOptions o = {}) {
    std::vector<std::string> flags = {"--malicious", GetParam().mode};
    flags.insert(flags.end(), extra.begin(), extra.end());
    auto uri = testing::StartMock(mock_, GetParam().executable, flags, GetParam().scheme);
    if (uri.status().code() == StatusCode::kNotFound) return nullptr;
    EXPECT_TRUE(uri.ok()) << uri.status();
    if (!uri.ok()) return nullptr;
    o.derivation = derivation();
    auto s = OpenSigner(*uri, o);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? std::move(*s) : nullptr;
  }

  void ExpectCardanoDataLoss(Signer& s) {
    auto tx = testing::MultisigDelegationTx(seed(), derivation());
    auto r =
        s.SignCardanoTx(tx, SigningMode::kMultisig, testing::MultisigPaths(), testing::Testnet());
    ASSERT_FALSE(r.ok()) << "a lying device's witnesses were accepted";
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss) << r.status();
  }

  testing::MockProcess mock_;
};

TEST_P(MaliciousDevice, CardanoWitnessesWithDeviceReportedKeysAreRefused) {
  auto s = Start({});
  if (s == nullptr) GTEST_SKIP() << "mock not built";
  ExpectCardanoDataLoss(*s);
}

TEST_P(MaliciousDevice, CardanoWitnessesWithThePolicysAccountXpubAreRefused) {
  SignerOptions o;
  // The account key the policy recorded at registration (derived here with chain).
  o.account_xpubs = {AccountXPub{
      P("m/1854'/1815'/0'"), testing::CardanoKey(seed(), "", derivation(), "m/1854'/1815'/0'")}};
  auto s = Start({}, o);
  if (s == nullptr) GTEST_SKIP() << "mock not built";
  if (ledger() && GetParam().mode == "wrong-pubkey") {
    // A Ledger witness carries no public key, and with the policy's xpub the host never asks
    // the device for one: a wrong-pubkey Ledger cannot lie here, and its honest signatures must
    // be accepted.
    auto tx = testing::MultisigDelegationTx(seed(), derivation());
    auto r =
        s->SignCardanoTx(tx, SigningMode::kMultisig, testing::MultisigPaths(), testing::Testnet());
    EXPECT_TRUE(r.ok()) << r.status();
    return;
  }
  ExpectCardanoDataLoss(*s);
}

TEST_P(MaliciousDevice, Eip1559SignatureIsRefused) {
  auto s =
      Start(ledger() ? std::vector<std::string>{"--app", "ethereum"} : std::vector<std::string>{});
  if (s == nullptr) GTEST_SKIP() << "mock not built";
  chain::evm::Eip1559Tx tx;
  tx.chain_id = 200101;
  tx.nonce = chain::evm::U256::FromUint64(0);
  tx.max_priority_fee_per_gas = chain::evm::U256::FromUint64(1'000'000'000);
  tx.max_fee_per_gas = chain::evm::U256::FromUint64(80'000'000'000);
  tx.gas_limit = chain::evm::U256::FromUint64(21'000);
  tx.to = *chain::evm::ParseAddress("0x1d1c328764a41bda0492b66baa30c4a339ff85ef");
  tx.value = chain::evm::U256::FromUint64(1'000'000'000'000);
  auto sig = s->SignEip1559(tx, P("m/44'/60'/0'/0/0"));
  ASSERT_FALSE(sig.ok()) << "a lying device's EVM signature was accepted";
  EXPECT_EQ(sig.status().code(), StatusCode::kDataLoss) << sig.status();
}

std::vector<MaliceCase> Cases() {
  std::vector<MaliceCase> out;
  for (const char* mode : {"other-key", "other-body", "wrong-pubkey"}) {
    std::string m = mode;
    std::string id = m == "other-key"    ? "OtherKey"
                     : m == "other-body" ? "OtherBody"
                                         : "WrongPubkey";
    out.push_back({"Ledger" + id, "mock-ledger", "tcp", m});
    out.push_back({"Trezor" + id, "mock-trezor", "udp", m});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Modes, MaliciousDevice, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace stakeward::devices
