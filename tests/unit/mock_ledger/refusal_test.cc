// Table-driven refusals: each row replays a valid prefix, then one APDU the real app refuses,
// and expects the real app's status word (specs/ledger.md §4.11, §6.2). After a Cardano error the
// app must be idle again (the error is auto-responded and ends the call), which is checked with
// GET_VERSION.
#include <memory>
#include <string>
#include <vector>

#include "firmware-mocks/ledger/ledger_mock.h"
#include "gtest/gtest.h"
#include "tests/unit/mock_ledger/apdu_builders.h"
#include "tests/unit/mock_ledger/test_host.h"

namespace stakeward::mocks::ledger {
namespace {

using namespace testing;  // NOLINT: test builders

struct RefusalCase {
  const char* name;
  AppKind app;
  std::vector<std::string> prefix;  // each must answer 9000
  std::string apdu;
  uint16_t sw;
  const char* reject_step;  // user model, or nullptr for approve
  const char* source;       // where the real app decides this
};

InitParams Multisig(uint32_t certs = 1, uint32_t witnesses = 2) {
  InitParams p;
  p.mode = 6;
  p.certs = certs;
  p.witnesses = witnesses;
  return p;
}

// MULTISIG prefix up to (excluding) the certificates.
std::vector<std::string> MultisigUpToCerts(uint32_t certs = 1) {
  return {Init(Multisig(certs)), Input(),     OutputBasic(ScriptAddress()),
          OutputConfirm(),       Fee(170000), Ttl(1000)};
}

std::vector<std::string> OrdinaryUpToCerts(uint32_t certs, uint32_t withdrawals = 0) {
  InitParams p;
  p.certs = certs;
  p.withdrawals = withdrawals;
  p.witnesses = 2;
  return {Init(p), Input(), OutputBasic(ScriptAddress()), OutputConfirm(), Fee(170000), Ttl(1000)};
}

std::vector<RefusalCase> Cases() {
  const chain::Bytes stake_path = KeyPathCredential({1852 | kH, 1815 | kH, 0 | kH, 2, 0});
  InitParams mainnet_bad_magic;
  mainnet_bad_magic.magic = 42;
  InitParams bad_flag;
  bad_flag.flag_override = 0x03;
  InitParams ordinary;
  return {
      {"BadClaInCardanoApp",
       AppKind::kCardano,
       {},
       "e006000000",
       0x6E02,
       nullptr,
       "src/main.c header checks, ledger.md §4.1: CLA != 0xD7 -> ERR_BAD_CLA"},
      {"LcDisagreesWithLength",
       AppKind::kCardano,
       {},
       "d700000001",
       0x6E01,
       nullptr,
       "src/main.c header checks, ledger.md §4.1: length != 5 + Lc -> 0x6E01"},
      {"UnknownIns",
       AppKind::kCardano,
       {},
       "d730000000",
       0x6E03,
       nullptr,
       "src/handlers.c, ledger.md §4.1: unknown INS -> 0x6E03"},
      {"UnusedP2NotZero",
       AppKind::kCardano,
       {},
       "d700000100",
       0x6E05,
       nullptr,
       "src/errors.h + doc/ins_get_app_version.md, ledger.md §4.1: unused P1/P2 must be 0"},
      {"InsChangesMidCall",
       AppKind::kCardano,
       {Init(ordinary)},
       "d700000000",
       0x6E04,
       nullptr,
       "src/main.c, ledger.md §4.1: INS differs from currentInstruction -> ERR_STILL_IN_CALL"},
      {"StageOutOfOrder",
       AppKind::kCardano,
       {Init(ordinary)},
       Fee(170000),
       0x6E06,
       nullptr,
       "src/signTx.c stage machine, ledger.md §4.8: APDU for the wrong stage -> 0x6E06"},
      {"InitWrongLength",
       AppKind::kCardano,
       {},
       SignTx(0x01, Fill(59, 0x01)),
       0x6E07,
       nullptr,
       "src/signTx.c INIT, ledger.md §4.8: app >= 7.0 INIT is exactly 60 bytes"},
      {"InitBadIncludedFlag",
       AppKind::kCardano,
       {},
       Init(bad_flag),
       0x6E07,
       nullptr,
       "src/signTx.c INIT, ledger.md §4.3: included flag other than 1/2 -> 0x6E07"},
      {"MainnetIdWithOtherMagic",
       AppKind::kCardano,
       {},
       Init(mainnet_bad_magic),
       0x6E10,
       nullptr,
       "src/securityPolicy.c, ledger.md §4.8: networkId 1 with another magic is refused"},
      {"MultisigKeyPathCredential", AppKind::kCardano, MultisigUpToCerts(), Delegation(stake_path),
       0x6E10, nullptr,
       "src/securityPolicy.c, ledger.md §4.9: MULTISIG credentials must be script hashes"},
      {"OrdinaryScriptHashCredential", AppKind::kCardano, OrdinaryUpToCerts(1),
       Delegation(ScriptCredential(0x22)), 0x6E10, nullptr,
       "src/securityPolicy.c, ledger.md §4.9: ORDINARY credentials must be key paths"},
      {"MultisigDeviceOwnedOutput",
       AppKind::kCardano,
       {Init(Multisig()), Input()},
       SignTx(0x03,
              Cat({{0x00, 0x02, 0x06, 0x01},
                   PathBytes({1852 | kH, 1815 | kH, 0 | kH, 0, 0}),
                   {0x11},
                   U64(1000000),
                   U32(0),
                   {0x01, 0x01}}),
              0x30),
       0x6E10,
       nullptr,
       "src/securityPolicy.c, ledger.md §4.9: MULTISIG outputs must be third-party"},
      {"OutputToRewardAddress",
       AppKind::kCardano,
       {Init(ordinary), Input()},
       OutputBasic(Cat({{0xE1}, Fill(28, 0x33)})),
       0x6E10,
       nullptr,
       "src/securityPolicy.c + src/signTxOutput.c: reward address as output destination is denied"},
      {"UnsupportedCertificateType", AppKind::kCardano, MultisigUpToCerts(),
       SignTx(0x06, Cat({{0x05}, Fill(28, 1)})), 0x6E07, nullptr,
       "src/signTx.c certificates, ledger.md §4.8: types 5, 6, 10-13 unsupported -> 0x6E07"},
      {"WithdrawalsNotCanonical", AppKind::kCardano,
       [] {
         InitParams p = Multisig(0, 2);
         p.withdrawals = 2;
         std::vector<std::string> v = {
             Init(p),     Input(),   OutputBasic(ScriptAddress()),         OutputConfirm(),
             Fee(170000), Ttl(1000), Withdrawal(5, ScriptCredential(0x40))};
         return v;
       }(),
       Withdrawal(5, ScriptCredential(0x30)), 0x6E07, nullptr,
       "src/signTx.c withdrawals, ledger.md §4.8: not canonical map-key order -> 0x6E07"},
      {"MultisigWitnessOrdinaryPath", AppKind::kCardano,
       [] {
         std::vector<std::string> v = MultisigUpToCerts(0);
         v[0] = Init(Multisig(0, 1));
         v.push_back(Confirm());
         return v;
       }(),
       Witness({1852 | kH, 1815 | kH, 0 | kH, 0, 0}), 0x6E10, nullptr,
       "src/securityPolicy.c policyForSignTxWitness, ledger.md §4.8: MULTISIG 1854' only"},
      {"OrdinaryWitnessMultisigPath", AppKind::kCardano,
       [] {
         InitParams p;
         std::vector<std::string> v = {Init(p),         Input(),     OutputBasic(ScriptAddress()),
                                       OutputConfirm(), Fee(170000), Ttl(1000),
                                       Confirm()};
         return v;
       }(),
       Witness({1854 | kH, 1815 | kH, 0 | kH, 0, 0}), 0x6E10, nullptr,
       "src/securityPolicy.c policyForSignTxWitness, ledger.md §4.8: ORDINARY denies 1854'"},
      {"OrdinaryTwoAccounts", AppKind::kCardano,
       [] {
         InitParams p;
         p.witnesses = 2;
         std::vector<std::string> v = {Init(p),
                                       Input(),
                                       OutputBasic(ScriptAddress()),
                                       OutputConfirm(),
                                       Fee(170000),
                                       Ttl(1000),
                                       Confirm(),
                                       Witness({1852 | kH, 1815 | kH, 0 | kH, 0, 0})};
         return v;
       }(),
       Witness({1852 | kH, 1815 | kH, 1 | kH, 0, 0}), 0x6E10, nullptr,
       "src/securityPolicy.c, ledger.md §4.8 single-account rule -> 0x6E10"},
      {"FeeAboveMaxSupply",
       AppKind::kCardano,
       {Init(ordinary), Input(), OutputBasic(ScriptAddress()), OutputConfirm()},
       Fee(45'000'000'000'000'001ull),
       0x6E07,
       nullptr,
       "src/signTx.c fee + src/cardano.h LOVELACE_MAX_SUPPLY: larger fee is invalid data"},
      {"PublicKeyPathTooShort",
       AppKind::kCardano,
       {},
       ApduHex(0xD7, 0x10, 0, 0, PathBytes({1852 | kH, 1815 | kH})),
       0x6E10,
       nullptr,
       "src/securityPolicy.c + src/bip44.c, ledger.md §4.5: path without account level denied"},
      {"PoolColdPathWithoutIndex",
       AppKind::kCardano,
       {},
       ApduHex(0xD7, 0x10, 0, 0, PathBytes({1853 | kH, 1815 | kH, 0 | kH})),
       0x6E10,
       nullptr,
       "src/bip44.c + src/securityPolicy.c, ledger.md §4.5: 1853' keys are 1853'/1815'/0'/i'"},
      {"PublicKeyPathTooLong",
       AppKind::kCardano,
       {},
       ApduHex(0xD7, 0x10, 0, 0, PathBytes({1852 | kH, 1815 | kH, kH, 0, 0, 0})),
       0x6E07,
       nullptr,
       "src/bip44.c, ledger.md §4.3: more than BIP44_MAX_PATH_ELEMENTS (5) -> 0x6E07"},
      {"UserRejectsFee",
       AppKind::kCardano,
       {Init(ordinary), Input(), OutputBasic(ScriptAddress()), OutputConfirm()},
       Fee(170000),
       0x6E09,
       "fee",
       "src/errors.h ERR_REJECTED_BY_USER, ledger.md §4.11"},
      {"UserRejectsConfirm",
       AppKind::kCardano,
       {Init(ordinary), Input(), OutputBasic(ScriptAddress()), OutputConfirm(), Fee(170000),
        Ttl(1000)},
       Confirm(),
       0x6E09,
       "confirm",
       "src/signTx.c CONFIRM, ledger.md §4.8: user rejecting gives 0x6E09"},
      {"CardanoApduInEthereumApp",
       AppKind::kEthereum,
       {},
       "d700000000",
       0x6E00,
       nullptr,
       "app-ethereum src/apdu_constants.h, ledger.md §6.2: bad CLA -> 0x6E00"},
      {"EthereumUserRejects",
       AppKind::kEthereum,
       {},
       "e004000046058000002c8000003c80000000000000000000000002ef0306843b9aca008504a817c80082520894"
       "b2bb2b958afa2e96dab3f3ce7162b87daea39017872386f26fc1000080c0",
       0x6985,
       "eth_sign",
       "app-ethereum doc/ethapp.adoc, ledger.md §6.2: rejected by user -> 0x6985"},
      {"EthereumUnsupportedTxType",
       AppKind::kEthereum,
       {},
       "e004000017058000002c8000003c80000000000000000000000003c0",
       0x6501,
       nullptr,
       "app-ethereum src/apdu_constants.h, ledger.md §6.2: tx type not supported -> 0x6501"},
  };
}

class RefusalTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(RefusalTest, AnswersTheRealStatusWord) {
  const RefusalCase& c = GetParam();
  LedgerMockOptions o;
  o.app = c.app;
  if (c.reject_step != nullptr) o.user = std::string("reject:") + c.reject_step;
  LedgerMock mock(o);
  ASSERT_TRUE(mock.Start().ok());
  absl::StatusOr<SpeculosClient> client = SpeculosClient::Connect(mock.apdu_port());
  ASSERT_TRUE(client.ok());
  for (const std::string& apdu : c.prefix) {
    absl::StatusOr<chain::Bytes> r = client->ExchangeHex(apdu);
    ASSERT_TRUE(r.ok());
    ASSERT_GE(r->size(), 2u);
    ASSERT_EQ(chain::HexEncode(chain::ByteView(r->data() + r->size() - 2, 2)), "9000")
        << "prefix APDU " << apdu;
  }
  absl::StatusOr<chain::Bytes> r = client->ExchangeHex(c.apdu);
  ASSERT_TRUE(r.ok());
  ASSERT_GE(r->size(), 2u);
  const uint16_t sw = static_cast<uint16_t>((*r)[r->size() - 2] << 8 | (*r)[r->size() - 1]);
  EXPECT_EQ(sw, c.sw) << c.source;
  if (c.app == AppKind::kCardano) {
    EXPECT_EQ(r->size(), 2u) << "errors carry no data";
    absl::StatusOr<chain::Bytes> v = client->ExchangeHex("d700000000");
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(chain::HexEncode(chain::View(*v)), "070103009000") << "app back to idle";
  }
}

INSTANTIATE_TEST_SUITE_P(LedgerRefusals, RefusalTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<RefusalCase>& i) {
                           return std::string(i.param.name);
                         });

}  // namespace
}  // namespace stakeward::mocks::ledger
