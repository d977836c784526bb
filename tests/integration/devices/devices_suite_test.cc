// The device-agnostic suite: the same tests against mock-ledger (Speculos TCP and HID-report
// socket) and mock-trezor (emulator UDP), each started as a process by the fixture.
#include <unistd.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "chain/address.h"
#include "chain/check.h"
#include "chain/evm.h"
#include "chain/keys.h"
#include "chain/native_script.h"
#include "chain/tx.h"
#include "devices/signer/signer.h"
#include "gtest/gtest.h"
#include "tests/integration/devices/mock_process.h"

namespace stakeward::devices {
namespace {

using absl::StatusCode;
using chain::Path;

constexpr char kSpeculosSeed[] =
    "glory promote mansion idle axis finger extra february uncover one trip resource lawn turtle "
    "enact monster seven myth punch hobby comfort wild raise skin";
constexpr char kTrezorSeed[] = "all all all all all all all all all all all all";

struct MockKind {
  std::string name;
  std::string executable;
  std::string scheme;
  bool ledger = true;
  std::string mnemonic;
  chain::Derivation derivation;
  // Published / spec vectors for m/1852'/1815'/0' and the EVM address at m/44'/60'/0'/0/0
  // (ledger.md §7.2, §7.3; trezor.md §5).
  std::string account_pubkey_hex;
  std::string eth_address;  // empty: derived with chain only
  std::set<StatusCode> truncate_codes;
  std::set<StatusCode> disconnect_codes;
  std::set<StatusCode> drop_codes;
};

std::ostream& operator<<(std::ostream& os, const MockKind& k) { return os << k.name; }

Path P(const std::string& s) {
  auto p = chain::ParsePath(s);
  SW_CHECK(p.ok());
  return *p;
}

class DeviceSuite : public ::testing::TestWithParam<MockKind> {
 protected:
  void SetUp() override {
    const MockKind& k = GetParam();
    std::vector<std::string> args = {"--control-port", "0"};
    if (k.ledger) {
      args.insert(args.end(), {"--apdu-port", "0"});
      if (k.scheme == "hidsock") {
        sock_path_ = absl::StrCat(::testing::TempDir(), "/sw-hid-", ::getpid(), "-", counter_++);
        args.insert(args.end(), {"--hid-socket", sock_path_});
      }
    } else {
      args.insert(args.end(), {"--port", "0"});
    }
    absl::Status s = mock_.Start(k.executable, args);
    if (absl::IsNotFound(s)) {
      GTEST_SKIP() << s;
    }
    ASSERT_TRUE(s.ok()) << s;
    auto uri = mock_.Uri(k.scheme);
    ASSERT_TRUE(uri.ok()) << uri.status();
    uri_ = *uri;
    auto master = chain::MasterKeyFromMnemonic(k.mnemonic, "", k.derivation);
    ASSERT_TRUE(master.ok());
    master_ = *master;
  }
  void TearDown() override {
    mock_.Stop();
    if (!sock_path_.empty()) ::unlink(sock_path_.c_str());
  }

  std::unique_ptr<Signer> Open(absl::Duration timeout = absl::Seconds(20)) {
    SignerOptions o;
    o.timeout = timeout;
    o.derivation = GetParam().derivation;
    auto s = OpenSigner(uri_, o);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? std::move(*s) : nullptr;
  }
  chain::XPub Key(const std::string& path) {
    return chain::ToPublic(chain::DerivePath(master_, P(path)));
  }
  chain::Hash28 KeyHashOf(const std::string& path) { return chain::KeyHash(Key(path).public_key); }

  // A delegation transaction of the DAO layout (design §3): 1-of-1 native scripts on this
  // device's CIP-1854 keys, testnet.
  chain::Transaction MultisigTx(const std::vector<chain::Certificate::Type>& certs, bool withdrawal,
                                int extra_delegations = 0) {
    chain::NativeScript pay = chain::NativeScript::AtLeast(
        1, {chain::NativeScript::Sig(KeyHashOf("m/1854'/1815'/0'/0/0"))});
    chain::NativeScript stake = chain::NativeScript::AtLeast(
        1, {chain::NativeScript::Sig(KeyHashOf("m/1854'/1815'/0'/2/0"))});
    chain::Credential pc{chain::Credential::Kind::kScriptHash, chain::NativeScriptHash(pay)};
    chain::Credential sc{chain::Credential::Kind::kScriptHash, chain::NativeScriptHash(stake)};
    return BuildTx(pc, sc, certs, withdrawal, extra_delegations);
  }
  chain::Transaction OrdinaryTx(const std::vector<chain::Certificate::Type>& certs,
                                bool withdrawal) {
    chain::Credential pc{chain::Credential::Kind::kKeyHash, KeyHashOf("m/1852'/1815'/0'/0/0")};
    chain::Credential sc{chain::Credential::Kind::kKeyHash, KeyHashOf("m/1852'/1815'/0'/2/0")};
    return BuildTx(pc, sc, certs, withdrawal, 0);
  }
  chain::Transaction BuildTx(const chain::Credential& pc, const chain::Credential& sc,
                             const std::vector<chain::Certificate::Type>& certs, bool withdrawal,
                             int extra_delegations) {
    chain::TxBody b;
    chain::TxIn in;
    in.tx_id.fill(0x3b);
    in.index = 1;
    b.inputs = {in};
    chain::TxOut out;
    out.address = chain::Address::Base(chain::Network::kTestnet, pc, sc).ToBytes();
    out.coin = chain::Lovelace(25'000'000);
    b.outputs = {out};
    b.fee = chain::Lovelace(215'000);
    b.ttl = 90'000'000;
    chain::Hash28 pool;
    pool.fill(0xf6);
    chain::DRep drep;
    drep.kind = chain::DRep::Kind::kAlwaysAbstain;
    for (auto t : certs) {
      switch (t) {
        case chain::Certificate::Type::kRegCert:
          b.certificates.push_back(
              chain::Certificate::Registration(sc, chain::Lovelace(2'000'000)));
          break;
        case chain::Certificate::Type::kStakeDelegation:
          b.certificates.push_back(chain::Certificate::StakeDelegation(sc, pool));
          break;
        case chain::Certificate::Type::kVoteDelegCert:
          b.certificates.push_back(chain::Certificate::VoteDelegation(sc, drep));
          break;
        case chain::Certificate::Type::kUnregCert:
          b.certificates.push_back(
              chain::Certificate::Unregistration(sc, chain::Lovelace(2'000'000)));
          break;
        default:
          ADD_FAILURE() << "unsupported in this test";
      }
    }
    for (int i = 0; i < extra_delegations; ++i) {
      chain::Hash28 other = pool;
      other[0] = static_cast<uint8_t>(i);
      b.certificates.push_back(chain::Certificate::StakeDelegation(sc, other));
    }
    if (withdrawal) {
      chain::Withdrawal w;
      w.reward_account = chain::Address::Reward(chain::Network::kTestnet, sc).ToBytes();
      w.coin = chain::Lovelace(1'234'567);
      b.withdrawals = {w};
    }
    chain::Hash32 aux;
    aux.fill(0xa5);
    b.aux_data_hash = aux;
    return chain::MakeTransaction(b, chain::WitnessSet{}, std::nullopt);
  }

  // Every witness is for the expected key and verifies over the tx id.
  void ExpectWitnesses(const chain::Transaction& tx, const std::vector<chain::VkeyWitness>& ws,
                       const std::vector<std::string>& paths) {
    ASSERT_EQ(ws.size(), paths.size());
    chain::Hash32 id = chain::TxId(tx);
    for (size_t i = 0; i < ws.size(); ++i) {
      EXPECT_EQ(ws[i].vkey, Key(paths[i]).public_key) << paths[i];
      EXPECT_TRUE(chain::Verify(ws[i].vkey, chain::View(id), ws[i].signature)) << paths[i];
    }
  }

  const std::vector<std::string> kMultisigPaths = {"m/1854'/1815'/0'/0/0", "m/1854'/1815'/0'/2/0"};
  std::vector<Path> Paths(const std::vector<std::string>& ps) {
    std::vector<Path> out;
    for (const auto& p : ps) out.push_back(P(p));
    return out;
  }
  CardanoNetwork Testnet() { return CardanoNetwork{0, kPreprodProtocolMagic}; }

  // Arms a fault, signs (must fail with one of `codes`, no result), then proves that a fresh
  // connection to the same device signs correctly.
  void FaultThenRecover(const std::string& control, const std::set<StatusCode>& codes,
                        absl::Duration timeout = absl::Seconds(1)) {
    auto s = Open(timeout);
    ASSERT_NE(s, nullptr);
    chain::Transaction tx =
        MultisigTx({chain::Certificate::Type::kRegCert, chain::Certificate::Type::kStakeDelegation,
                    chain::Certificate::Type::kVoteDelegCert},
                   true);
    ASSERT_TRUE(mock_.ControlOk(control).ok()) << control;
    absl::Time start = absl::Now();
    auto r = s->SignCardanoTx(tx, SigningMode::kMultisig, Paths(kMultisigPaths), Testnet());
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(codes.count(r.status().code())) << control << " -> " << r.status();
    EXPECT_LT(absl::Now() - start, timeout + absl::Seconds(8)) << "no hang";
    ASSERT_TRUE(mock_.ControlOk("fault none").ok());
    ASSERT_TRUE(mock_.ControlOk("user approve").ok());
    ASSERT_TRUE(mock_.ControlOk("delay 0").ok());
    s.reset();
    auto again = Open();
    ASSERT_NE(again, nullptr);
    auto ok = again->SignCardanoTx(tx, SigningMode::kMultisig, Paths(kMultisigPaths), Testnet());
    ASSERT_TRUE(ok.ok()) << ok.status();
    ExpectWitnesses(tx, *ok, kMultisigPaths);
  }

  testing::MockProcess mock_;
  std::string uri_;
  std::string sock_path_;
  chain::XPrv master_;
  static inline int counter_ = 0;
};

TEST_P(DeviceSuite, InfoAndCapabilities) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  DeviceInfo info = s->Info();
  EXPECT_EQ(info.vendor == Vendor::kLedger, GetParam().ledger);
  EXPECT_TRUE(info.capabilities.cardano);
  EXPECT_TRUE(info.capabilities.cardano_conway) << info.note;
  EXPECT_TRUE(info.capabilities.cardano_multisig);
  EXPECT_FALSE(info.model.empty());
}

TEST_P(DeviceSuite, PublicKeysMatchTheVectors) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  std::vector<std::string> paths = {"m/1852'/1815'/0'", "m/1854'/1815'/0'", "m/1854'/1815'/0'/2/0",
                                    "m/1852'/1815'/0'/2/0"};
  auto keys = s->GetExtendedPublicKeys(Paths(paths));
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(chain::HexEncode((*keys)[0].public_key), GetParam().account_pubkey_hex);
  for (size_t i = 0; i < paths.size(); ++i) EXPECT_EQ((*keys)[i], Key(paths[i])) << paths[i];
}

TEST_P(DeviceSuite, ShowAddressIsTheDerivedBaseAddress) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  auto a = s->ShowAddress(Testnet(), P("m/1852'/1815'/0'/0/0"), P("m/1852'/1815'/0'/2/0"));
  ASSERT_TRUE(a.ok()) << a.status();
  chain::Credential pc{chain::Credential::Kind::kKeyHash, KeyHashOf("m/1852'/1815'/0'/0/0")};
  chain::Credential sc{chain::Credential::Kind::kKeyHash, KeyHashOf("m/1852'/1815'/0'/2/0")};
  EXPECT_EQ(*a, chain::Address::Base(chain::Network::kTestnet, pc, sc).ToBech32());
}

TEST_P(DeviceSuite, MultisigRegistrationDelegationVoteAndWithdrawal) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  chain::Transaction tx =
      MultisigTx({chain::Certificate::Type::kRegCert, chain::Certificate::Type::kStakeDelegation,
                  chain::Certificate::Type::kVoteDelegCert},
                 true);
  auto ws = s->SignCardanoTx(tx, SigningMode::kMultisig, Paths(kMultisigPaths), Testnet());
  ASSERT_TRUE(ws.ok()) << ws.status();
  ExpectWitnesses(tx, *ws, kMultisigPaths);
}

TEST_P(DeviceSuite, MultisigDeregistrationWithWithdrawal) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  chain::Transaction tx = MultisigTx({chain::Certificate::Type::kUnregCert}, true);
  auto ws = s->SignCardanoTx(tx, SigningMode::kMultisig, Paths(kMultisigPaths), Testnet());
  ASSERT_TRUE(ws.ok()) << ws.status();
  ExpectWitnesses(tx, *ws, kMultisigPaths);
}

TEST_P(DeviceSuite, OrdinaryDelegationWitnessesVerify) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  chain::Transaction tx =
      OrdinaryTx({chain::Certificate::Type::kRegCert, chain::Certificate::Type::kStakeDelegation,
                  chain::Certificate::Type::kVoteDelegCert},
                 true);
  std::vector<std::string> paths = {"m/1852'/1815'/0'/0/0", "m/1852'/1815'/0'/2/0"};
  auto ws = s->SignCardanoTx(tx, SigningMode::kOrdinary, Paths(paths), Testnet());
  ASSERT_TRUE(ws.ok()) << ws.status();
  ExpectWitnesses(tx, *ws, paths);
}

TEST_P(DeviceSuite, WrongModeForThePathsIsRejectedBeforeTheDevice) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  chain::Transaction tx = MultisigTx({chain::Certificate::Type::kStakeDelegation}, false);
  auto r = s->SignCardanoTx(tx, SigningMode::kOrdinary, Paths(kMultisigPaths), Testnet());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST_P(DeviceSuite, Eip1559RecoversTheDeviceAddress) {
  if (GetParam().ledger) {
    ASSERT_TRUE(mock_.ControlOk("app ethereum").ok());
    // The deposit carries calldata: the Ethereum app needs its Blind signing setting.
    ASSERT_TRUE(mock_.ControlOk("blind-signing on").ok());
  }
  auto s = Open();
  ASSERT_NE(s, nullptr);
  auto seed = chain::MnemonicToSeed(GetParam().mnemonic, "");
  ASSERT_TRUE(seed.ok());
  auto key = chain::evm::Secp256k1Key::MasterFromSeed(chain::View(*seed));
  ASSERT_TRUE(key.ok());
  auto child = key->DerivePath(P("m/44'/60'/0'/0/0"));
  ASSERT_TRUE(child.ok());
  chain::evm::Address expected = child->EthAddress();
  if (!GetParam().eth_address.empty()) {
    EXPECT_EQ(chain::evm::ToChecksumAddress(expected), GetParam().eth_address);
  }
  chain::evm::Eip1559Tx tx;
  tx.chain_id = 200101;
  tx.nonce = chain::evm::U256::FromUint64(7);
  tx.max_priority_fee_per_gas = chain::evm::U256::FromUint64(1'000'000'000);
  tx.max_fee_per_gas = chain::evm::U256::FromUint64(80'000'000'000);
  tx.gas_limit = chain::evm::U256::FromUint64(120'000);
  tx.to = *chain::evm::ParseAddress("0x1d1c328764a41bda0492b66baa30c4a339ff85ef");
  tx.value = chain::evm::LovelaceToWei(chain::Lovelace(1'000'000));
  tx.data = chain::evm::EncodeAccreditToPool(chain::evm::U256::FromUint64(42));
  auto sig = s->SignEip1559(tx, P("m/44'/60'/0'/0/0"));
  ASSERT_TRUE(sig.ok()) << sig.status();
  auto who = chain::evm::RecoverSender(tx, *sig);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(*who, expected);
}

TEST_P(DeviceSuite, WrongLedgerAppIsAnActionableFailedPrecondition) {
  if (!GetParam().ledger) {
    GTEST_SKIP() << "Ledger only";
  }
  ASSERT_TRUE(mock_.ControlOk("app ethereum").ok());
  auto s = Open();
  ASSERT_NE(s, nullptr);
  EXPECT_NE(s->Info().note.find("Cardano ADA"), std::string::npos) << s->Info().note;
  chain::Transaction tx = MultisigTx({chain::Certificate::Type::kStakeDelegation}, false);
  auto r = s->SignCardanoTx(tx, SigningMode::kMultisig, Paths(kMultisigPaths), Testnet());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("Cardano ADA"), absl::string_view::npos) << r.status();
  ASSERT_TRUE(mock_.ControlOk("app cardano").ok());
  auto e = s->SignEip1559(chain::evm::Eip1559Tx{}, P("m/44'/60'/0'/0/0"));
  EXPECT_EQ(e.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(e.status().message().find("Ethereum"), absl::string_view::npos) << e.status();
}

TEST_P(DeviceSuite, UserRejectionIsCancelled) {
  FaultThenRecover("user reject certificate", {StatusCode::kCancelled}, absl::Seconds(10));
}

TEST_P(DeviceSuite, DisconnectMidSigning) {
  FaultThenRecover("fault disconnect after 4", GetParam().disconnect_codes);
}

TEST_P(DeviceSuite, CorruptedFrame) {
  FaultThenRecover("fault corrupt after 4", {StatusCode::kDataLoss});
}

TEST_P(DeviceSuite, WrongChannelFrame) {
  FaultThenRecover("fault wrong-channel after 4", {StatusCode::kDataLoss});
}

TEST_P(DeviceSuite, TruncatedReply) {
  FaultThenRecover("fault truncate after 4", GetParam().truncate_codes);
}

TEST_P(DeviceSuite, DroppedReplyTimesOut) {
  FaultThenRecover("fault drop after 4", GetParam().drop_codes);
}

TEST_P(DeviceSuite, UserTooSlowTimesOut) {
  FaultThenRecover("delay 2500", {StatusCode::kDeadlineExceeded});
}

TEST_P(DeviceSuite, TenCertificateMultisigExchangeCount) {
  // Measurement (not a speed assertion): exchanges and bytes the client sends for a 10-certificate
  // multisig transaction, as the device counts them. The signer knows its account xpub from the
  // policy, so no public key is exported for the witnesses.
  SignerOptions o;
  o.timeout = absl::Seconds(20);
  o.derivation = GetParam().derivation;
  o.account_xpubs = {AccountXPub{P("m/1854'/1815'/0'"), Key("m/1854'/1815'/0'")}};
  auto opened = OpenSigner(uri_, o);
  ASSERT_TRUE(opened.ok()) << opened.status();
  auto s = std::move(*opened);
  chain::Transaction tx = MultisigTx(
      {chain::Certificate::Type::kRegCert, chain::Certificate::Type::kVoteDelegCert}, false, 8);
  ASSERT_EQ(tx.body.certificates.size(), 10u);
  ExchangeStats before = s->stats();
  if (GetParam().ledger) {
    ASSERT_TRUE(mock_.ControlOk("stats reset").ok());
  }
  auto ws = s->SignCardanoTx(tx, SigningMode::kMultisig, Paths(kMultisigPaths), Testnet());
  ASSERT_TRUE(ws.ok()) << ws.status();
  ExpectWitnesses(tx, *ws, kMultisigPaths);
  ExchangeStats after = s->stats();
  std::string device_side;
  if (GetParam().ledger) {
    auto st = mock_.Control("stats");
    ASSERT_TRUE(st.ok());
    device_side = (*st)[0];
  }
  std::printf(
      "[measure] %s 10-cert multisig: client exchanges=%llu bytes_sent=%llu "
      "bytes_received=%llu; device: %s\n",
      GetParam().name.c_str(), static_cast<unsigned long long>(after.exchanges - before.exchanges),
      static_cast<unsigned long long>(after.bytes_sent - before.bytes_sent),
      static_cast<unsigned long long>(after.bytes_received - before.bytes_received),
      device_side.c_str());
  RecordProperty("exchanges", static_cast<int>(after.exchanges - before.exchanges));
  RecordProperty("bytes_sent", static_cast<int>(after.bytes_sent - before.bytes_sent));
}

const std::set<StatusCode> kStreamTruncate = {StatusCode::kDeadlineExceeded};
const std::set<StatusCode> kHidTruncate = {StatusCode::kDataLoss, StatusCode::kDeadlineExceeded};

INSTANTIATE_TEST_SUITE_P(
    Mocks, DeviceSuite,
    ::testing::Values(MockKind{"LedgerTcp",
                               "mock-ledger",
                               "tcp",
                               true,
                               kSpeculosSeed,
                               chain::Derivation::kLedger,
                               "78d137231e6346f17b1d442bace1f7ba1d54a88ef8509464e2e786a854bd4815",
                               "0xDad77910DbDFdE764fC21FCD4E74D71bBACA6D8D",
                               kStreamTruncate,
                               {StatusCode::kUnavailable},
                               {StatusCode::kDeadlineExceeded}},
                      MockKind{"LedgerHidSocket",
                               "mock-ledger",
                               "hidsock",
                               true,
                               kSpeculosSeed,
                               chain::Derivation::kLedger,
                               "78d137231e6346f17b1d442bace1f7ba1d54a88ef8509464e2e786a854bd4815",
                               "0xDad77910DbDFdE764fC21FCD4E74D71bBACA6D8D",
                               kHidTruncate,
                               {StatusCode::kUnavailable},
                               {StatusCode::kDeadlineExceeded}},
                      MockKind{
                          "TrezorUdp",
                          "mock-trezor",
                          "udp",
                          false,
                          kTrezorSeed,
                          chain::Derivation::kIcarusTrezor,
                          "d507c8f866691bd96e131334c355188b1a1d0b2fa0ab11545075aab332d77d9e",
                          "",
                          {StatusCode::kDataLoss},
                          // UDP has no connection: a "re-plugged" emulator just stops answering.
                          {StatusCode::kDeadlineExceeded},
                          // A lost packet of a multi-packet reply leaves the next one out of step.
                          {StatusCode::kDeadlineExceeded, StatusCode::kDataLoss}}),
    [](const ::testing::TestParamInfo<MockKind>& i) { return i.param.name; });

}  // namespace
}  // namespace stakeward::devices
