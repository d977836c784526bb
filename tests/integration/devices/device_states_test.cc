// Device states a real Ledger or Trezor is found in (locked, on the dashboard, blind signing off,
// PIN / passphrase protected, a Trezor One) and the published EIP-1559 zero-field vectors, each
// against the mock executable started with the matching flags. Every failure must reach the
// caller as a sentence saying what to do on the device, with the right status code.
#include <string>
#include <vector>

#include "chain/address.h"
#include "chain/check.h"
#include "chain/evm.h"
#include "chain/keys.h"
#include "chain/native_script.h"
#include "chain/tx.h"
#include "devices/ledger/apdu.h"
#include "devices/ledger/eth_app.h"
#include "devices/signer/signer.h"
#include "devices/transport/transport.h"
#include "gtest/gtest.h"
#include "tests/integration/devices/device_test_util.h"
#include "tests/integration/devices/mock_process.h"

namespace stakeward::devices {
namespace {

using absl::StatusCode;
using testing::HasText;
using testing::MultisigDelegationTx;
using testing::P;

// ------------------------------------------------------------------ Trezor EIP-1559 zero fields

// Published vectors, trezor-firmware common/tests/fixtures/ethereum/sign_tx_eip1559.json (seed
// "all all ... all"): "nodata" has nonce 0; "erc20" has nonce 0 AND value 0 with calldata.
struct ZeroVector {
  const char* name;
  const char* path;
  const char* to;
  uint64_t chain_id;
  uint64_t nonce, gas_limit, max_fee, priority, value;
  const char* data;
  uint8_t v;
  const char* r;
  const char* s;
};
const ZeroVector kZeroVectors[] = {
    {"nodata", "m/44'/60'/0'/0/100", "0x1d1c328764a41bda0492b66baa30c4a339ff85ef", 1, 0, 0x14, 0x14,
     0x1, 0xa, "", 1, "2ceeaabc994fbce2fbd66551f9d48fc711c8db2a12e93779eeddede11e41f636",
     "2db4a9ecc73da91206f84397ae9287a399076fdc01ed7f3c6554b1c57c39bf8c"},
    {"erc20", "m/44'/60'/0'/0/1", "0xfc6b5d6af8a13258f7cbd0d39e11b35e01a32f93", 1, 0, 0x14, 0x14,
     0x1, 0x0,
     "a9059cbb000000000000000000000000574bbb36871ba6b78e27f4b4dcfb76ea0091880b0000000000000000000"
     "000000000000000000000000000000000000000000123",
     1, "e631b56bcc596844cb8686b2046e36cf33634aa396e7e1ea94a97aac02c18bda",
     "399bff8752539176c4b2f1d5d2a8f6029f79841d28802149ab339a033ffe4c1f"},
};

TEST(TrezorZeroFields, HostSignsThePublishedVectors) {
  // The mock hashes the raw field bytes it receives, as the firmware does: the published
  // signature comes out only if the host sends zero as empty bytes.
  testing::MockProcess mock;
  auto uri = testing::StartMock(mock, "mock-trezor", {}, "udp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  auto signer = OpenSigner(*uri, SignerOptions{});
  ASSERT_TRUE(signer.ok()) << signer.status();
  for (const ZeroVector& v : kZeroVectors) {
    chain::evm::Eip1559Tx tx;
    tx.chain_id = v.chain_id;
    tx.nonce = chain::evm::U256::FromUint64(v.nonce);
    tx.gas_limit = chain::evm::U256::FromUint64(v.gas_limit);
    tx.max_fee_per_gas = chain::evm::U256::FromUint64(v.max_fee);
    tx.max_priority_fee_per_gas = chain::evm::U256::FromUint64(v.priority);
    tx.value = chain::evm::U256::FromUint64(v.value);
    tx.to = *chain::evm::ParseAddress(v.to);
    auto data = chain::HexDecode(v.data);
    ASSERT_TRUE(data.ok());
    tx.data = *data;
    auto sig = (*signer)->SignEip1559(tx, P(v.path));
    ASSERT_TRUE(sig.ok()) << v.name << ": " << sig.status();
    EXPECT_EQ(sig->y_parity, v.v) << v.name;
    EXPECT_EQ(chain::HexEncode(sig->r), v.r) << v.name;
    EXPECT_EQ(chain::HexEncode(sig->s), v.s) << v.name;
  }
}

// ------------------------------------------------------------------------------- Trezor PIN

TEST(TrezorPin, EnteredOnTheDeviceThenTheRequestIsAnswered) {
  testing::MockProcess mock;
  auto uri = testing::StartMock(mock, "mock-trezor", {"--pin", "4711"}, "udp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  std::vector<std::string> told;
  SignerOptions o;
  o.progress = [&](std::string_view m) { told.emplace_back(m); };
  auto signer = OpenSigner(*uri, o);
  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_TRUE(HasText((*signer)->Info().note, "locked")) << (*signer)->Info().note;
  auto a = (*signer)->GetEthAddress(P("m/44'/60'/0'/0/0"), false);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(*a, testing::EthAddress(testing::kTrezorSeed, "", "m/44'/60'/0'/0/0"));
  bool asked = false;
  for (const auto& m : told) asked |= HasText(m, "enter your PIN on the Trezor");
  EXPECT_TRUE(asked) << "the user was told to enter the PIN on the device";
  auto screens = mock.Control("screens");
  ASSERT_TRUE(screens.ok());
  EXPECT_TRUE(HasText(absl::StrJoin(*screens, "\n"), "Enter PIN"));
}

TEST(TrezorPin, CancelledOnTheDeviceIsCancelled) {
  testing::MockProcess mock;
  auto uri =
      testing::StartMock(mock, "mock-trezor", {"--pin", "4711", "--user", "reject:pin"}, "udp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  auto signer = OpenSigner(*uri, SignerOptions{});
  ASSERT_TRUE(signer.ok()) << signer.status();
  auto tx = MultisigDelegationTx(testing::kTrezorSeed, chain::Derivation::kIcarusTrezor);
  auto r = (*signer)->SignCardanoTx(tx, SigningMode::kMultisig, testing::MultisigPaths(),
                                    testing::Testnet());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled) << r.status();
  EXPECT_TRUE(HasText(r.status().message(), "enter the PIN on the Trezor")) << r.status();
}

// ------------------------------------------------------------------------ Trezor passphrase

TEST(TrezorPassphrase, TypedOnTheDeviceOpensTheHiddenWallet) {
  testing::MockProcess mock;
  auto uri = testing::StartMock(mock, "mock-trezor", {"--passphrase", "dao"}, "udp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  auto signer = OpenSigner(*uri, SignerOptions{});
  ASSERT_TRUE(signer.ok()) << signer.status();
  // Multisig signing works with on-device entry: witnesses are for the hidden wallet's keys.
  auto tx = MultisigDelegationTx(testing::kTrezorSeed, chain::Derivation::kIcarusTrezor, "dao");
  auto ws = (*signer)->SignCardanoTx(tx, SigningMode::kMultisig, testing::MultisigPaths(),
                                     testing::Testnet());
  ASSERT_TRUE(ws.ok()) << ws.status();
  ASSERT_EQ(ws->size(), 2u);
  EXPECT_EQ((*ws)[0].vkey,
            testing::CardanoKey(testing::kTrezorSeed, "dao", chain::Derivation::kIcarusTrezor,
                                "m/1854'/1815'/0'/0/0")
                .public_key);
  auto screens = mock.Control("screens");
  ASSERT_TRUE(screens.ok());
  EXPECT_TRUE(HasText(absl::StrJoin(*screens, "\n"), "Enter passphrase"));
}

TEST(TrezorPassphrase, CancelledOnTheDeviceIsCancelled) {
  testing::MockProcess mock;
  auto uri = testing::StartMock(mock, "mock-trezor",
                                {"--passphrase", "dao", "--user", "reject:passphrase"}, "udp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  auto signer = OpenSigner(*uri, SignerOptions{});
  ASSERT_TRUE(signer.ok()) << signer.status();
  auto a = (*signer)->GetEthAddress(P("m/44'/60'/0'/0/0"), false);
  EXPECT_EQ(a.status().code(), StatusCode::kCancelled) << a.status();
}

TEST(TrezorPassphrase, HostPassphraseIsRefusedForMultisigKeysButWorksForOthers) {
  testing::MockProcess mock;
  auto uri = testing::StartMock(mock, "mock-trezor", {"--passphrase", "dao"}, "udp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  SignerOptions o;
  o.trezor_passphrase_on_host = "typed on the host";
  auto signer = OpenSigner(*uri, o);
  ASSERT_TRUE(signer.ok()) << signer.status();
  auto tx = MultisigDelegationTx(testing::kTrezorSeed, chain::Derivation::kIcarusTrezor);
  auto r = (*signer)->SignCardanoTx(tx, SigningMode::kMultisig, testing::MultisigPaths(),
                                    testing::Testnet());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status();
  EXPECT_TRUE(HasText(r.status().message(), "enter the passphrase on the Trezor")) << r.status();
  auto keys = (*signer)->GetExtendedPublicKeys({P("m/1854'/1815'/0'")});
  EXPECT_EQ(keys.status().code(), StatusCode::kInvalidArgument) << keys.status();
  // An EVM key with the host passphrase: the wallet of that passphrase.
  auto a = (*signer)->GetEthAddress(P("m/44'/60'/0'/0/0"), false);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(*a, testing::EthAddress(testing::kTrezorSeed, "typed on the host", "m/44'/60'/0'/0/0"));
}

// -------------------------------------------------------------------------------- Trezor One

TEST(TrezorOne, NoCardanoSupportIsSaidClearly) {
  testing::MockProcess mock;
  auto uri = testing::StartMock(mock, "mock-trezor", {"--model", "1"}, "udp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  auto signer = OpenSigner(*uri, SignerOptions{});
  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_TRUE(HasText((*signer)->Info().note, "no Cardano support")) << (*signer)->Info().note;
  auto tx = MultisigDelegationTx(testing::kTrezorSeed, chain::Derivation::kIcarusTrezor);
  auto r = (*signer)->SignCardanoTx(tx, SigningMode::kMultisig, testing::MultisigPaths(),
                                    testing::Testnet());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status();
  EXPECT_TRUE(HasText(r.status().message(), "Trezor One")) << r.status();
}

TEST(TrezorOne, HostPinMatrixIsRefusedWithWhatToDo) {
  testing::MockProcess mock;
  auto uri = testing::StartMock(mock, "mock-trezor", {"--model", "1", "--pin", "4711"}, "udp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  auto signer = OpenSigner(*uri, SignerOptions{});
  ASSERT_TRUE(signer.ok()) << signer.status();
  auto a = (*signer)->GetEthAddress(P("m/44'/60'/0'/0/0"), false);
  EXPECT_EQ(a.status().code(), StatusCode::kFailedPrecondition) << a.status();
  EXPECT_TRUE(HasText(a.status().message(), "unlock the Trezor in Trezor Suite")) << a.status();
}

// ---------------------------------------------------------------------- Ledger blind signing

chain::evm::Eip1559Tx DepositTx() {
  chain::evm::Eip1559Tx tx;
  tx.chain_id = 200101;
  tx.nonce = chain::evm::U256::FromUint64(3);
  tx.max_priority_fee_per_gas = chain::evm::U256::FromUint64(1'000'000'000);
  tx.max_fee_per_gas = chain::evm::U256::FromUint64(80'000'000'000);
  tx.gas_limit = chain::evm::U256::FromUint64(120'000);
  tx.to = *chain::evm::ParseAddress("0x1d1c328764a41bda0492b66baa30c4a339ff85ef");
  tx.data = chain::evm::EncodeAccreditToPool(chain::evm::U256::FromUint64(42));
  return tx;
}

TEST(LedgerBlindSigning, OffOnAFreshAppIsReportedBeforeSending) {
  testing::MockProcess mock;
  auto uri = testing::StartMock(mock, "mock-ledger", {"--app", "ethereum"}, "tcp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  auto signer = OpenSigner(*uri, SignerOptions{});
  ASSERT_TRUE(signer.ok()) << signer.status();
  auto sig = (*signer)->SignEip1559(DepositTx(), P("m/44'/60'/0'/0/0"));
  EXPECT_EQ(sig.status().code(), StatusCode::kFailedPrecondition) << sig.status();
  EXPECT_TRUE(HasText(sig.status().message(),
                      "enable Blind signing in the Ethereum app's settings on your Ledger"))
      << sig.status();
  // Nothing reached the app's review: the configuration flag was read first.
  auto screens = mock.Control("screens");
  ASSERT_TRUE(screens.ok());
  EXPECT_FALSE(HasText(absl::StrJoin(*screens, "\n"), "Review transaction"));
}

TEST(LedgerBlindSigning, TheAppsRefusalOfCalldataSaysTheSame) {
  // The host's own check bypassed: the app itself answers 0x6A80 to the calldata.
  testing::MockProcess mock;
  auto uri = testing::StartMock(mock, "mock-ledger", {"--app", "ethereum"}, "tcp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  auto t = OpenTransport(*uri, absl::Seconds(3));
  ASSERT_TRUE(t.ok()) << t.status();
  ledger::ApduChannel channel(std::move(*t));
  ledger::EthApp app(&channel, absl::Seconds(10));
  auto config = app.GetConfiguration();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_FALSE(config->blind_signing());
  chain::Bytes raw = chain::evm::EncodeUnsigned(DepositTx());
  auto sig = app.SignTransaction(P("m/44'/60'/0'/0/0"), chain::View(raw), true);
  EXPECT_EQ(sig.status().code(), StatusCode::kFailedPrecondition) << sig.status();
  EXPECT_TRUE(HasText(sig.status().message(), "enable Blind signing")) << sig.status();
  EXPECT_TRUE(HasText(sig.status().message(), "0x6a80")) << sig.status();
}

TEST(LedgerBlindSigning, OnTheDepositIsSignedAndVerified) {
  testing::MockProcess mock;
  auto uri =
      testing::StartMock(mock, "mock-ledger", {"--app", "ethereum", "--blind-signing"}, "tcp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  auto signer = OpenSigner(*uri, SignerOptions{});
  ASSERT_TRUE(signer.ok()) << signer.status();
  auto sig = (*signer)->SignEip1559(DepositTx(), P("m/44'/60'/0'/0/0"));
  ASSERT_TRUE(sig.ok()) << sig.status();
}

// --------------------------------------------------------- Ledger dashboard, other app, locked

TEST(LedgerAppState, DashboardSaysOpenTheApp) {
  testing::MockProcess mock;
  auto uri = testing::StartMock(mock, "mock-ledger", {"--app", "dashboard"}, "tcp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  auto signer = OpenSigner(*uri, SignerOptions{});
  ASSERT_TRUE(signer.ok()) << signer.status();
  auto tx = MultisigDelegationTx(testing::kSpeculosSeed, chain::Derivation::kLedger);
  auto r = (*signer)->SignCardanoTx(tx, SigningMode::kMultisig, testing::MultisigPaths(),
                                    testing::Testnet());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status();
  EXPECT_TRUE(HasText(r.status().message(), "open the \"Cardano ADA\" app on your Ledger"))
      << r.status();
  auto e = (*signer)->SignEip1559(DepositTx(), P("m/44'/60'/0'/0/0"));
  EXPECT_EQ(e.status().code(), StatusCode::kFailedPrecondition) << e.status();
  EXPECT_TRUE(HasText(e.status().message(), "open the \"Ethereum\" app on your Ledger"))
      << e.status();
  // Opening the app is all it takes.
  ASSERT_TRUE(mock.ControlOk("app cardano").ok());
  auto ok = (*signer)->SignCardanoTx(tx, SigningMode::kMultisig, testing::MultisigPaths(),
                                     testing::Testnet());
  EXPECT_TRUE(ok.ok()) << ok.status();
}

TEST(LedgerAppState, LockedSaysUnlockWithThePin) {
  testing::MockProcess mock;
  auto uri = testing::StartMock(mock, "mock-ledger", {"--locked"}, "tcp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  auto signer = OpenSigner(*uri, SignerOptions{});
  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_TRUE(HasText((*signer)->Info().note, "locked")) << (*signer)->Info().note;
  auto tx = MultisigDelegationTx(testing::kSpeculosSeed, chain::Derivation::kLedger);
  auto r = (*signer)->SignCardanoTx(tx, SigningMode::kMultisig, testing::MultisigPaths(),
                                    testing::Testnet());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status();
  EXPECT_TRUE(HasText(r.status().message(), "unlock it with your PIN on the device")) << r.status();
  EXPECT_TRUE(HasText(r.status().message(), "0x5515")) << r.status();
  ASSERT_TRUE(mock.ControlOk("unlock").ok());
  auto ok = (*signer)->SignCardanoTx(tx, SigningMode::kMultisig, testing::MultisigPaths(),
                                     testing::Testnet());
  EXPECT_TRUE(ok.ok()) << ok.status();
}

// ------------------------------------------------------------------------------ screens

std::vector<std::string> Screens(testing::MockProcess& mock) {
  auto lines = mock.Control("screens");
  if (!lines.ok() || lines->empty()) return {};
  return std::vector<std::string>(lines->begin() + 1, lines->end());
}

bool AnyStartsWith(const std::vector<std::string>& lines, absl::string_view prefix) {
  for (const auto& l : lines) {
    if (absl::string_view(l).substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

TEST(DeviceScreens, LedgerWithoutExpertModeHidesWhatTheHostMustPrint) {
  testing::MockProcess mock;
  auto uri = testing::StartMock(mock, "mock-ledger", {}, "tcp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  auto signer = OpenSigner(*uri, SignerOptions{});
  ASSERT_TRUE(signer.ok()) << signer.status();
  auto tx = MultisigDelegationTx(testing::kSpeculosSeed, chain::Derivation::kLedger, "", 0, true);
  auto ws = (*signer)->SignCardanoTx(tx, SigningMode::kMultisig, testing::MultisigPaths(),
                                     testing::Testnet());
  ASSERT_TRUE(ws.ok()) << ws.status();
  const auto screens = Screens(mock);
  // The output is a script address without a datum: warned about (securityPolicy.c).
  EXPECT_TRUE(AnyStartsWith(screens, "Warning: output could be unspendable due to missing datum"))
      << absl::StrJoin(screens, "\n");
  for (const char* hidden : {"Valid until slot", "Withdraw ", "Auxiliary data hash"}) {
    EXPECT_FALSE(AnyStartsWith(screens, hidden)) << hidden;
  }
  // ... and exactly those are what HiddenFromDevice lists for the caller to print.
  const auto hidden = HiddenFromDevice(Vendor::kLedger, tx, SigningMode::kMultisig);
  const std::string all = absl::StrJoin(hidden, "\n");
  EXPECT_TRUE(HasText(all, "withdrawal of")) << all;
  EXPECT_TRUE(HasText(all, "TTL")) << all;
  EXPECT_TRUE(HasText(all, "auxiliary data hash")) << all;
}

TEST(DeviceScreens, LedgerExpertModeShowsThem) {
  testing::MockProcess mock;
  auto uri = testing::StartMock(mock, "mock-ledger", {"--expert-mode"}, "tcp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  auto signer = OpenSigner(*uri, SignerOptions{});
  ASSERT_TRUE(signer.ok()) << signer.status();
  auto tx = MultisigDelegationTx(testing::kSpeculosSeed, chain::Derivation::kLedger, "", 0, true);
  auto ws = (*signer)->SignCardanoTx(tx, SigningMode::kMultisig, testing::MultisigPaths(),
                                     testing::Testnet());
  ASSERT_TRUE(ws.ok()) << ws.status();
  const auto screens = Screens(mock);
  for (const char* shown : {"Valid until slot", "Withdraw ", "Auxiliary data hash"}) {
    EXPECT_TRUE(AnyStartsWith(screens, shown)) << shown;
  }
}

TEST(DeviceScreens, TrezorWarnsAboutTheMissingDatum) {
  testing::MockProcess mock;
  auto uri = testing::StartMock(mock, "mock-trezor", {}, "udp");
  if (uri.status().code() == StatusCode::kNotFound) GTEST_SKIP() << uri.status();
  ASSERT_TRUE(uri.ok()) << uri.status();
  auto signer = OpenSigner(*uri, SignerOptions{});
  ASSERT_TRUE(signer.ok()) << signer.status();
  auto tx = MultisigDelegationTx(testing::kTrezorSeed, chain::Derivation::kIcarusTrezor);
  auto ws = (*signer)->SignCardanoTx(tx, SigningMode::kMultisig, testing::MultisigPaths(),
                                     testing::Testnet());
  ASSERT_TRUE(ws.ok()) << ws.status();
  EXPECT_TRUE(AnyStartsWith(Screens(mock), "Warning: the output address is a script address"));
}

}  // namespace
}  // namespace stakeward::devices
