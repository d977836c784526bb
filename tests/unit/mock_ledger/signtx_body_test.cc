// SIGN_TX elements beyond the recorded traces (aux-data hash, tagged sets, map-format output with
// tokens, script withdrawal, validity start, required signer, body network id): the hash the
// mock returns at CONFIRM must equal the hash of the body chain::EncodeBody builds independently,
// and the witness must verify against the device's public key.
#include <memory>
#include <string>

#include "chain/cbor.h"
#include "chain/keys.h"
#include "chain/tx.h"
#include "firmware-mocks/ledger/ledger_mock.h"
#include "gtest/gtest.h"
#include "tests/unit/mock_ledger/apdu_builders.h"
#include "tests/unit/mock_ledger/test_host.h"

namespace stakeward::mocks::ledger {
namespace {

using namespace testing;  // NOLINT: test builders

chain::Bytes Sw(const chain::Bytes& reply) { return chain::Bytes(reply.end() - 2, reply.end()); }

TEST(SignTxBodyTest, MultisigBodyMatchesIndependentEncoding) {
  LedgerMock mock(LedgerMockOptions{});
  ASSERT_TRUE(mock.Start().ok());
  absl::StatusOr<SpeculosClient> c = SpeculosClient::Connect(mock.apdu_port());
  ASSERT_TRUE(c.ok());

  const chain::Bytes aux_hash = Fill(32, 0xa1);
  const chain::Bytes policy = Fill(28, 0x5c);
  const chain::Bytes script_hash = Fill(28, 0x77);
  const chain::Bytes signer = Fill(28, 0x42);
  const chain::Bytes address = Cat({{0x31}, script_hash, script_hash});  // base script/script
  // INIT: tag-258 sets, mainnet; TTL, aux data, validity start and body network id included;
  // MULTISIG; 2 inputs, 1 output, 1 withdrawal, 1 required signer, 1 witness.
  chain::Bytes init = Cat({U64(1),
                           {0x01},
                           U32(764824073),
                           {0x02, 0x02, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x01, 0x01},
                           {0x06},
                           U32(2),
                           U32(1),
                           U32(0),
                           U32(1),
                           U32(0),
                           U32(1),
                           U32(0),
                           U32(0),
                           U32(1)});
  const std::vector<std::string> apdus = {
      SignTx(0x01, init),
      SignTx(0x08, Cat({{0x00}, aux_hash})),
      SignTx(0x02, Cat({Fill(32, 0x01), U32(3)})),
      SignTx(0x02, Cat({Fill(32, 0x02), U32(0)})),
      SignTx(0x03,
             Cat({{0x01, 0x01},
                  U32(static_cast<uint32_t>(address.size())),
                  address,
                  U64(5000000),
                  U32(1),
                  {0x01, 0x01}}),
             0x30),
      SignTx(0x03, Cat({policy, U32(2)}), 0x31),
      SignTx(0x03, Cat({U32(1), {'a'}, U64(10)}), 0x32),
      SignTx(0x03, Cat({U32(2), {'b', 'b'}, U64(20)}), 0x32),
      SignTx(0x03, {}, 0x33),
      Fee(180000),
      Ttl(5000),
      SignTx(0x07, Cat({U64(123), {0x01}, script_hash})),
      SignTx(0x09, U64(4000)),
      SignTx(0x0e, Cat({{0x01}, signer})),
  };
  for (const std::string& a : apdus) {
    absl::StatusOr<chain::Bytes> r = c->ExchangeHex(a);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(chain::HexEncode(chain::View(*r)), "9000") << a;
  }
  absl::StatusOr<chain::Bytes> confirm = c->ExchangeHex(Confirm());
  ASSERT_TRUE(confirm.ok());
  ASSERT_EQ(confirm->size(), 34u);
  ASSERT_EQ(Sw(*confirm), (chain::Bytes{0x90, 0x00}));

  chain::TxBody body;
  body.set_tags = true;
  body.inputs = {{*chain::ToFixed<32>(chain::View(Fill(32, 0x01))), 3},
                 {*chain::ToFixed<32>(chain::View(Fill(32, 0x02))), 0}};
  chain::TxOut out;
  out.address = address;
  out.coin = chain::Lovelace(5000000);
  out.map_form = true;
  chain::cbor::Writer assets;
  assets.MapHeader(1).Bytes(chain::View(policy)).MapHeader(2);
  assets.Bytes(chain::View(chain::Bytes{'a'}))
      .Uint(10)
      .Bytes(chain::View(chain::Bytes{'b', 'b'}))
      .Uint(20);
  out.multiasset = assets.Take();
  body.outputs = {out};
  body.fee = chain::Lovelace(180000);
  body.ttl = 5000;
  body.withdrawals = {{Cat({{0xF1}, script_hash}), chain::Lovelace(123)}};
  body.aux_data_hash = *chain::ToFixed<32>(chain::View(aux_hash));
  body.validity_start = 4000;
  body.required_signers = {*chain::ToFixed<28>(chain::View(signer))};
  body.network_id = 1;
  const chain::Hash32 expected = chain::TxId(chain::View(chain::EncodeBody(body)));
  EXPECT_EQ(chain::HexEncode(chain::ByteView(confirm->data(), 32)), chain::HexEncode(expected));

  // Witness with the multisig payment key; it verifies against that key over the tx hash.
  const chain::Bytes path = PathBytes({1854 | kH, 1815 | kH, 0 | kH, 0, 0});
  absl::StatusOr<chain::Bytes> wit = c->ExchangeHex(SignTx(0x0f, path));
  ASSERT_TRUE(wit.ok());
  ASSERT_EQ(wit->size(), 66u);
  absl::StatusOr<chain::Bytes> xpub = c->ExchangeHex(ApduHex(0xD7, 0x10, 0, 0, path));
  ASSERT_TRUE(xpub.ok());
  ASSERT_EQ(xpub->size(), 66u);
  std::array<uint8_t, 32> pub{};
  std::copy(xpub->begin(), xpub->begin() + 32, pub.begin());
  chain::Signature sig{};
  std::copy(wit->begin(), wit->begin() + 64, sig.begin());
  EXPECT_TRUE(chain::Verify(pub, chain::View(expected), sig));

  // The multisig screens: witness paths are always shown.
  std::vector<std::string> screens = mock.screens().Lines();
  EXPECT_NE(std::find(screens.begin(), screens.end(), "Witness m/1854'/1815'/0'/0/0"),
            screens.end());
  // Without expert mode (a fresh app) the Cardano app's securityPolicy.c hides TTL, validity
  // start, the aux data hash, withdrawals and required signers (SHOW_IF(app_mode_expert())).
  for (const char* hidden : {"Valid from slot 4000", "Valid until slot 5000"}) {
    EXPECT_EQ(std::find(screens.begin(), screens.end(), hidden), screens.end()) << hidden;
  }
  for (const auto& line : screens) {
    EXPECT_EQ(line.rfind("Withdraw ", 0), std::string::npos) << line;
    EXPECT_EQ(line.rfind("Required signer ", 0), std::string::npos) << line;
    EXPECT_EQ(line.rfind("Auxiliary data hash ", 0), std::string::npos) << line;
  }
}

TEST(SignTxBodyTest, TokenNamesMustBeCanonical) {
  LedgerMock mock(LedgerMockOptions{});
  ASSERT_TRUE(mock.Start().ok());
  absl::StatusOr<SpeculosClient> c = SpeculosClient::Connect(mock.apdu_port());
  ASSERT_TRUE(c.ok());
  InitParams p;
  for (const std::string& a :
       {Init(p), Input(),
        SignTx(0x03,
               Cat({{0x00, 0x01}, U32(29), ScriptAddress(), U64(5000000), U32(1), {0x01, 0x01}}),
               0x30),
        SignTx(0x03, Cat({Fill(28, 0x5c), U32(2)}), 0x31),
        SignTx(0x03, Cat({U32(2), {'b', 'b'}, U64(20)}), 0x32)}) {
    absl::StatusOr<chain::Bytes> r = c->ExchangeHex(a);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(chain::HexEncode(chain::View(*r)), "9000") << a;
  }
  // "a" sorts before "bb" (shorter key first, CIP-21): sending it second is invalid data.
  absl::StatusOr<chain::Bytes> r =
      c->ExchangeHex(SignTx(0x03, Cat({U32(1), {'a'}, U64(10)}), 0x32));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(chain::HexEncode(chain::View(*r)), "6e07");
}

}  // namespace
}  // namespace stakeward::mocks::ledger
