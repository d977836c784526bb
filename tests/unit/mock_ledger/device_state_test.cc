// Device states of mock-ledger that a real Ledger shows: locked (PIN screen), the dashboard, and
// the Ethereum app's Blind signing setting. Expected values come from the sources cited in
// firmware-mocks/ledger (app-ethereum, @ledgerhq/errors, specs/ledger.md §3).
#include <string>

#include "chain/check.h"
#include "chain/evm.h"
#include "chain/hash.h"
#include "firmware-mocks/ledger/keyring.h"
#include "firmware-mocks/ledger/ledger_device.h"
#include "gtest/gtest.h"
#include "tests/unit/mock_ledger/test_host.h"

namespace stakeward::mocks::ledger::testing {
namespace {

uint16_t Sw(const chain::Bytes& reply) {
  return reply.size() < 2
             ? 0
             : static_cast<uint16_t>(reply[reply.size() - 2] << 8 | reply[reply.size() - 1]);
}

struct Rig {
  UserModel user;
  ScreenLog screens;
  std::unique_ptr<LedgerDevice> device;
  explicit Rig(AppKind app, bool blind_signing = false) {
    auto keys = Keyring::FromMnemonic(kSpeculosDefaultMnemonic);
    SW_CHECK(keys.ok());
    eth::EthOptions o;
    o.blind_signing = blind_signing;
    device = std::make_unique<LedgerDevice>(*std::move(keys), &user, &screens, app, o);
  }
  chain::Bytes Send(std::string_view hex) { return device->Exchange(chain::View(Hex(hex))); }
};

// E0 04 00 00: path m/44'/60'/0'/0/0 || 0x02 || rlp(EIP-1559 tx), in one chunk.
std::string SignApdu(const chain::evm::Eip1559Tx& tx) {
  chain::Bytes data = Hex("058000002c8000003c800000000000000000000000");
  chain::Bytes raw = chain::evm::EncodeUnsigned(tx);
  data.insert(data.end(), raw.begin(), raw.end());
  SW_CHECK(data.size() <= 255);
  return "e0040000" + chain::HexEncode(chain::Bytes{static_cast<uint8_t>(data.size())}) +
         chain::HexEncode(chain::View(data));
}

chain::evm::Eip1559Tx Tx(bool with_data) {
  chain::evm::Eip1559Tx tx;
  tx.chain_id = 200101;
  tx.nonce = chain::evm::U256::FromUint64(1);
  tx.max_priority_fee_per_gas = chain::evm::U256::FromUint64(1);
  tx.max_fee_per_gas = chain::evm::U256::FromUint64(2);
  tx.gas_limit = chain::evm::U256::FromUint64(21000);
  tx.to = *chain::evm::ParseAddress("0x1d1c328764a41bda0492b66baa30c4a339ff85ef");
  if (with_data) tx.data = chain::evm::EncodeAccreditToPool(chain::evm::U256::FromUint64(7));
  return tx;
}

TEST(EthBlindSigning, ConfigurationFlagFollowsTheSetting) {
  // cmd_get_app_configuration.c: byte 0 = dataAllowed ? 0x01 : 0 | 0x02 (external token info).
  EXPECT_EQ(Rig(AppKind::kEthereum).Send("e006000000")[0], 0x02);
  EXPECT_EQ(Rig(AppKind::kEthereum, true).Send("e006000000")[0], 0x03);
}

TEST(EthBlindSigning, CalldataIsRefusedWith6A80WhenOff) {
  Rig rig(AppKind::kEthereum);
  chain::Bytes r = rig.Send(SignApdu(Tx(true)));
  EXPECT_EQ(Sw(r), 0x6a80);
  EXPECT_EQ(r.size(), 2u) << "no signature";
  bool shown = false;
  for (const auto& l : rig.screens.Lines()) shown |= l.find("Blind signing must be enabled") == 0;
  EXPECT_TRUE(shown);
}

TEST(EthBlindSigning, NoCalldataSignsWhenOffAndCalldataSignsWhenOn) {
  Rig off(AppKind::kEthereum);
  EXPECT_EQ(Sw(off.Send(SignApdu(Tx(false)))), 0x9000);
  Rig on(AppKind::kEthereum, true);
  chain::Bytes r = on.Send(SignApdu(Tx(true)));
  ASSERT_EQ(Sw(r), 0x9000);
  ASSERT_EQ(r.size(), 65u + 2u);
}

TEST(DeviceState, DashboardAnswers6E01AndNamesBolos) {
  Rig rig(AppKind::kDashboard);
  EXPECT_EQ(Sw(rig.Send("d700000000")), 0x6e01);  // Cardano GET_VERSION
  EXPECT_EQ(Sw(rig.Send("e006000000")), 0x6e01);  // Ethereum GET_APP_CONFIGURATION
  chain::Bytes name = rig.Send("b001000000");
  ASSERT_EQ(Sw(name), 0x9000);
  ASSERT_GT(name.size(), 7u);
  EXPECT_EQ(std::string(name.begin() + 2, name.begin() + 2 + name[1]), "BOLOS");
  rig.device->OpenApp(AppKind::kCardano);
  EXPECT_EQ(Sw(rig.Send("d700000000")), 0x9000);
}

TEST(DeviceState, LockedAnswers5515ToEverythingUntilUnlocked) {
  Rig rig(AppKind::kCardano);
  rig.device->SetLocked(true);
  for (const char* apdu : {"d700000000", "b001000000", "e006000000"}) {
    EXPECT_EQ(Sw(rig.Send(apdu)), 0x5515) << apdu;
  }
  rig.device->SetLocked(false);
  EXPECT_EQ(Sw(rig.Send("d700000000")), 0x9000);
}

}  // namespace
}  // namespace stakeward::mocks::ledger::testing
