// EIP-1559 signing against trezor-firmware common/tests/fixtures/ethereum/sign_tx_eip1559.json
// (vectors/trezor/ethereum_sign_tx_eip1559.json) and the Ledger app-ethereum recording in
// shared/specs/ledger.md §7.3; encode/decode, recovery and tamper checks.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "chain/evm.h"
#include "gtest/gtest.h"
#include "tests/unit/chain_keys/test_util.h"

namespace stakeward::chain::evm {
namespace {

constexpr char kSpeculos[] =
    "glory promote mansion idle axis finger extra february uncover one trip resource lawn turtle "
    "enact monster seven myth punch hobby comfort wild raise skin";

// "0x14" style quantities (odd digit counts allowed).
U256 Quantity(std::string hex) {
  if (hex.rfind("0x", 0) == 0) hex = hex.substr(2);
  if (hex.size() % 2) hex = "0" + hex;
  Bytes b = testing::Hex(hex);
  size_t first = 0;
  while (first < b.size() && b[first] == 0) ++first;
  return *U256::FromBigEndian(ByteView(b.data() + first, b.size() - first));
}

Secp256k1Key KeyAt(std::string_view mnemonic, std::string_view path) {
  auto seed = MnemonicToSeed(mnemonic, "");
  EXPECT_TRUE(seed.ok());
  auto master = Secp256k1Key::MasterFromSeed(View(*seed));
  EXPECT_TRUE(master.ok());
  auto key = master->DerivePath(testing::P(path));
  EXPECT_TRUE(key.ok());
  return *key;
}

TEST(Eip1559VectorsTest, TrezorFixtures) {
  nlohmann::json v = testing::LoadVectors("vectors/trezor/ethereum_sign_tx_eip1559.json");
  const std::string mnemonic = v["setup"]["mnemonic"];
  ASSERT_EQ(v["tests"].size(), 3u);
  for (const auto& t : v["tests"]) {
    const auto& p = t["parameters"];
    Secp256k1Key key = KeyAt(mnemonic, p["path"].get<std::string>());
    Eip1559Tx tx;
    tx.chain_id = p["chain_id"].get<uint64_t>();
    tx.nonce = Quantity(p["nonce"]);
    tx.gas_limit = Quantity(p["gas_limit"]);
    tx.max_fee_per_gas = Quantity(p["max_gas_fee"]);
    tx.max_priority_fee_per_gas = Quantity(p["max_priority_fee"]);
    tx.value = Quantity(p["value"]);
    tx.to = *ParseAddress(p["to_address"].get<std::string>());
    tx.data = testing::Hex(p["data"].get<std::string>());
    EvmSignature sig = SignHash(key, SigningHash(tx));
    EXPECT_EQ(sig.y_parity, t["result"]["sig_v"].get<int>()) << t["name"];
    EXPECT_EQ(HexEncode(sig.r), t["result"]["sig_r"]) << t["name"];
    EXPECT_EQ(HexEncode(sig.s), t["result"]["sig_s"]) << t["name"];

    auto sender = RecoverSender(tx, sig);
    ASSERT_TRUE(sender.ok()) << sender.status();
    EXPECT_EQ(*sender, key.EthAddress());
    // Signed encoding round trip.
    Bytes raw = EncodeSigned(tx, sig);
    auto decoded = DecodeSigned(View(raw));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(EncodeSigned(decoded->tx, decoded->sig), raw);
    EXPECT_EQ(decoded->tx.chain_id, tx.chain_id);
    EXPECT_EQ(decoded->tx.data, tx.data);
    EXPECT_EQ(TxHash(decoded->tx, decoded->sig), TxHash(tx, sig));
  }
}

TEST(Eip1559VectorsTest, LedgerSpeculosRecording) {
  Secp256k1Key key = KeyAt(kSpeculos, "m/44'/60'/0'/0/0");
  // Published (app-ethereum tests); the uncompressed key and chain code are self-computed.
  EXPECT_EQ(ToChecksumAddress(key.EthAddress()), "0xDad77910DbDFdE764fC21FCD4E74D71bBACA6D8D");
  EXPECT_EQ(HexEncode(key.UncompressedPublicKey()),
            "04ef5b152e3f15eb0c50c9916161c2309e54bd87b9adce722d69716bcdef85f547678e15ab40a78919c728"
            "4e67a17ee9a96e8b9886b60f767d93023bac8dbc16e4");
  EXPECT_EQ(HexEncode(key.chain_code()),
            "428489ee70680fa137392bc8399c4da9e39e92f058eb9e790f736142bba7e9d6");
  // The transaction bytes of the recorded SIGN_TX APDU (after the 21-byte path).
  Bytes unsigned_tx = testing::Hex(
      "02ef0306843b9aca008504a817c80082520894b2bb2b958afa2e96dab3f3ce7162b87daea39017872386f26fc1"
      "000080c0");
  auto tx = DecodeUnsigned(View(unsigned_tx));
  ASSERT_TRUE(tx.ok()) << tx.status();
  EXPECT_EQ(tx->chain_id, 3u);
  EXPECT_EQ(tx->nonce.ToDecimal(), "6");
  EXPECT_EQ(tx->gas_limit.ToDecimal(), "21000");
  EXPECT_EQ(tx->value.ToDecimal(), "10000000000000000");
  EXPECT_EQ(EncodeUnsigned(*tx), unsigned_tx);
  EvmSignature sig = SignHash(key, SigningHash(*tx));
  EXPECT_EQ(sig.y_parity, 0);
  EXPECT_EQ(HexEncode(sig.r), "3ccff815955e82c416dcf2ace0bf0aa5f479acd47f5152f0c1753cf68fb72374");
  EXPECT_EQ(HexEncode(sig.s), "6774b8bff4f776f2788bb19c87c22ca8a2933ea4415eed8d25a9ea0500c81ce1");
}

class Eip1559Test : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = KeyAt(kSpeculos, "m/44'/60'/0'/0/1");
    tx_.chain_id = 200101;
    tx_.nonce = U256::FromUint64(7);
    tx_.max_priority_fee_per_gas = U256::FromUint64(1000000000);
    tx_.max_fee_per_gas = U256::FromUint64(60000000000);
    tx_.gas_limit = U256::FromUint64(120000);
    tx_.to = *ParseAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    tx_.value = LovelaceToWei(chain::Lovelace(1234567890));
    tx_.data = EncodeAccreditToPool(U256::FromUint64(42));
    sig_ = SignHash(key_, SigningHash(tx_));
  }
  Secp256k1Key key_;
  Eip1559Tx tx_;
  EvmSignature sig_;
};

TEST_F(Eip1559Test, RecoverSenderRoundTrip) {
  auto sender = RecoverSender(tx_, sig_);
  ASSERT_TRUE(sender.ok());
  EXPECT_EQ(*sender, key_.EthAddress());
  // Any change to the transaction changes the recovered address.
  Eip1559Tx changed = tx_;
  changed.value = *changed.value.CheckedAdd(U256::FromUint64(1));
  auto other = RecoverSender(changed, sig_);
  EXPECT_TRUE(!other.ok() || *other != key_.EthAddress());
  EvmSignature flipped = sig_;
  flipped.y_parity ^= 1;
  auto other2 = RecoverSender(tx_, flipped);
  EXPECT_TRUE(!other2.ok() || *other2 != key_.EthAddress());
  EvmSignature bad = sig_;
  bad.y_parity = 2;
  EXPECT_FALSE(RecoverSender(tx_, bad).ok());
  bad = sig_;
  bad.s.fill(0xff);  // high S
  EXPECT_FALSE(RecoverSender(tx_, bad).ok());
}

TEST_F(Eip1559Test, ContractCreationAndAccessListRoundTrip) {
  Eip1559Tx create = tx_;
  create.to.reset();
  // [[address, [key]]]
  Bytes storage_key(32, 0x11);
  Bytes entry = rlp::EncodeList(
      {rlp::EncodeBytes(View(*tx_.to)), rlp::EncodeList({rlp::EncodeBytes(View(storage_key))})});
  create.access_list_rlp = rlp::EncodeList({entry});
  EvmSignature sig = SignHash(key_, SigningHash(create));
  auto decoded = DecodeSigned(View(EncodeSigned(create, sig)));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_FALSE(decoded->tx.to.has_value());
  EXPECT_EQ(decoded->tx.access_list_rlp, create.access_list_rlp);
  EXPECT_EQ(*RecoverSender(decoded->tx, decoded->sig), key_.EthAddress());
  auto unsigned_decoded = DecodeUnsigned(View(EncodeUnsigned(create)));
  ASSERT_TRUE(unsigned_decoded.ok());
  EXPECT_EQ(SigningHash(*unsigned_decoded), SigningHash(create));
}

TEST_F(Eip1559Test, DecodeRejectsMalformed) {
  Bytes raw = EncodeSigned(tx_, sig_);
  // Wrong type byte, unsigned form where signed expected, trailing byte, truncation.
  Bytes wrong_type = raw;
  wrong_type[0] = 0x01;
  EXPECT_FALSE(DecodeSigned(View(wrong_type)).ok());
  EXPECT_FALSE(DecodeSigned(View(EncodeUnsigned(tx_))).ok());
  EXPECT_FALSE(DecodeUnsigned(View(raw)).ok());
  Bytes trailing = raw;
  trailing.push_back(0);
  EXPECT_FALSE(DecodeSigned(View(trailing)).ok());
  EXPECT_FALSE(DecodeSigned(ByteView(raw.data(), raw.size() - 1)).ok());
  EXPECT_FALSE(DecodeSigned(ByteView()).ok());

  auto fields = [&](auto mutate) {
    std::vector<Bytes> f = {rlp::EncodeUint(U256::FromUint64(tx_.chain_id)),
                            rlp::EncodeUint(tx_.nonce),
                            rlp::EncodeUint(tx_.max_priority_fee_per_gas),
                            rlp::EncodeUint(tx_.max_fee_per_gas),
                            rlp::EncodeUint(tx_.gas_limit),
                            rlp::EncodeBytes(View(*tx_.to)),
                            rlp::EncodeUint(tx_.value),
                            rlp::EncodeBytes(View(tx_.data)),
                            rlp::EncodeList({}),
                            rlp::EncodeUint(U256::FromUint64(sig_.y_parity)),
                            rlp::EncodeUint(*U256::FromBigEndian(View(sig_.r))),
                            rlp::EncodeUint(*U256::FromBigEndian(View(sig_.s)))};
    mutate(f);
    Bytes list = rlp::EncodeList(f);
    Bytes out{0x02};
    out.insert(out.end(), list.begin(), list.end());
    return out;
  };
  // The unmodified construction decodes (so the rejections below are about the mutation).
  EXPECT_TRUE(DecodeSigned(View(fields([](std::vector<Bytes>&) {}))).ok());
  const std::vector<std::pair<const char*, std::function<void(std::vector<Bytes>&)>>> cases = {
      {"nonce leading zero",
       [](auto& f) {
         f[1] = rlp::EncodeBytes(View(Bytes{0x00, 0x07}));
       }},
      {"zero as 0x00", [](auto& f) { f[1] = rlp::EncodeBytes(View(Bytes{0x00})); }},
      {"chain id > 8 bytes", [](auto& f) { f[0] = rlp::EncodeBytes(View(Bytes(9, 0x01))); }},
      {"value > 32 bytes", [](auto& f) { f[6] = rlp::EncodeBytes(View(Bytes(33, 0x01))); }},
      {"to 19 bytes", [](auto& f) { f[5] = rlp::EncodeBytes(View(Bytes(19, 0x01))); }},
      {"to is a list", [](auto& f) { f[5] = rlp::EncodeList({}); }},
      {"data is a list", [](auto& f) { f[7] = rlp::EncodeList({}); }},
      {"access list not a list", [](auto& f) { f[8] = rlp::EncodeBytes(ByteView()); }},
      {"access list bad entry", [](auto& f) { f[8] = rlp::EncodeList({rlp::EncodeList({})}); }},
      {"parity 2", [](auto& f) { f[9] = rlp::EncodeUint(U256::FromUint64(2)); }},
      {"r zero", [](auto& f) { f[10] = rlp::EncodeUint(U256()); }},
      {"s zero", [](auto& f) { f[11] = rlp::EncodeUint(U256()); }},
      {"s high", [](auto& f) { f[11] = rlp::EncodeBytes(View(Bytes(32, 0xff))); }},
      {"r >= n", [](auto& f) { f[10] = rlp::EncodeBytes(View(Bytes(32, 0xff))); }},
      {"13 fields", [](auto& f) { f.push_back(rlp::EncodeList({})); }},
  };
  for (const auto& [name, mutate] : cases) {
    EXPECT_EQ(DecodeSigned(View(fields(mutate))).status().code(),
              absl::StatusCode::kInvalidArgument)
        << name;
  }
}

}  // namespace
}  // namespace stakeward::chain::evm
