// The checks around a Cardano signature: what is refused before the device sees anything, how
// credentials are resolved per signing mode, and the network inference.
#include "devices/signer/cardano_checks.h"

#include "chain/address.h"
#include "chain/keys.h"
#include "chain/tx.h"
#include "gtest/gtest.h"

namespace stakeward::devices {
namespace {

using absl::StatusCode;

chain::Path P(std::string_view s) { return *chain::ParsePath(s); }

struct Fixture {
  chain::XPub stake_key;
  chain::Hash28 stake_hash{};
  chain::Hash28 script_hash{};
  Fixture() {
    auto m = chain::MasterKeyFromMnemonic("all all all all all all all all all all all all", "",
                                          chain::Derivation::kIcarus);
    stake_key = chain::ToPublic(chain::DerivePath(*m, P("m/1852'/1815'/0'/2/0")));
    stake_hash = chain::KeyHash(stake_key.public_key);
    script_hash.fill(0x29);
  }
  chain::TxBody Body(const chain::Credential& cred) const {
    chain::TxBody b;
    chain::TxIn in;
    in.tx_id.fill(1);
    b.inputs = {in};
    chain::TxOut o;
    o.address = chain::Address::Enterprise(chain::Network::kMainnet, cred).ToBytes();
    o.coin = chain::Lovelace(5'000'000);
    b.outputs = {o};
    b.fee = chain::Lovelace(200'000);
    b.ttl = 1000;
    chain::Hash28 pool;
    pool.fill(0xf6);
    b.certificates = {chain::Certificate::Registration(cred, chain::Lovelace(2'000'000)),
                      chain::Certificate::StakeDelegation(cred, pool)};
    // Two withdrawals given out of canonical order.
    chain::Withdrawal w1, w2;
    w1.reward_account = chain::Address::Reward(chain::Network::kMainnet, cred).ToBytes();
    w1.coin = chain::Lovelace(5);
    chain::Credential other = cred;
    other.hash[0] ^= 0xff;
    w2.reward_account = chain::Address::Reward(chain::Network::kMainnet, other).ToBytes();
    w2.coin = chain::Lovelace(7);
    b.withdrawals =
        w1.reward_account < w2.reward_account ? std::vector{w2, w1} : std::vector{w1, w2};
    return b;
  }
};

TEST(CardanoChecks, MultisigUsesScriptHashesAndCanonicalWithdrawalOrder) {
  Fixture f;
  chain::Credential script{chain::Credential::Kind::kScriptHash, f.script_hash};
  chain::Transaction tx = chain::MakeTransaction(f.Body(script), {}, std::nullopt);
  auto req = BuildCardanoRequest(tx, SigningMode::kMultisig, {P("m/1854'/1815'/0'/2/0")},
                                 {f.stake_key}, CardanoNetwork{});
  ASSERT_TRUE(req.ok()) << req.status();
  ASSERT_EQ(req->certificates.size(), 2u);
  EXPECT_EQ(req->certificates[0].credential.kind, StakeCredential::Kind::kScriptHash);
  EXPECT_EQ(req->certificates[1].type, 2);
  ASSERT_EQ(req->withdrawals.size(), 2u);
  EXPECT_LT(req->withdrawals[0].reward_account, req->withdrawals[1].reward_account);
  EXPECT_EQ(req->outputs[0].address_bech32.rfind("addr1", 0), 0u);
  EXPECT_TRUE(req->tag_cbor_sets);
}

TEST(CardanoChecks, OrdinaryResolvesKeyHashesToWitnessPaths) {
  Fixture f;
  chain::Credential key{chain::Credential::Kind::kKeyHash, f.stake_hash};
  chain::TxBody b = f.Body(key);
  b.withdrawals.resize(1);
  b.withdrawals[0].reward_account = chain::Address::Reward(chain::Network::kMainnet, key).ToBytes();
  chain::Transaction tx = chain::MakeTransaction(b, {}, std::nullopt);
  auto req = BuildCardanoRequest(tx, SigningMode::kOrdinary, {P("m/1852'/1815'/0'/2/0")},
                                 {f.stake_key}, CardanoNetwork{});
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->certificates[0].credential.kind, StakeCredential::Kind::kKeyPath);
  EXPECT_EQ(req->certificates[0].credential.path, P("m/1852'/1815'/0'/2/0"));
  EXPECT_EQ(req->withdrawals[0].credential.path, P("m/1852'/1815'/0'/2/0"));
  // Without the stake key among the witnesses the credential cannot be expressed.
  auto pay = chain::ToPublic(chain::DerivePath(
      *chain::MasterKeyFromMnemonic("all all all all all all all all all all all all", "",
                                    chain::Derivation::kIcarus),
      P("m/1852'/1815'/0'/0/0")));
  EXPECT_EQ(BuildCardanoRequest(tx, SigningMode::kOrdinary, {P("m/1852'/1815'/0'/0/0")}, {pay},
                                CardanoNetwork{})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST(CardanoChecks, RefusedBeforeTheDevice) {
  Fixture f;
  chain::Credential script{chain::Credential::Kind::kScriptHash, f.script_hash};
  chain::Credential key{chain::Credential::Kind::kKeyHash, f.stake_hash};
  const std::vector<chain::Path> ms = {P("m/1854'/1815'/0'/2/0")};
  // Key-hash credentials in MULTISIG mode.
  EXPECT_EQ(BuildCardanoRequest(chain::MakeTransaction(f.Body(key), {}, std::nullopt),
                                SigningMode::kMultisig, ms, {f.stake_key}, CardanoNetwork{})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  // Body bytes that are not the canonical encoding of the body.
  chain::Transaction tx = chain::MakeTransaction(f.Body(script), {}, std::nullopt);
  tx.body.fee += chain::Lovelace(1);
  EXPECT_EQ(BuildCardanoRequest(tx, SigningMode::kMultisig, ms, {f.stake_key}, CardanoNetwork{})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  // Tokens in an output.
  chain::TxBody tokens = f.Body(script);
  tokens.outputs[0].multiasset = {0xa1, 0x58, 0x1c};
  tokens.outputs[0].multiasset.resize(3 + 28, 0x11);
  tokens.outputs[0].multiasset.insert(tokens.outputs[0].multiasset.end(), {0xa1, 0x40, 0x01});
  auto t = chain::MakeTransaction(tokens, {}, std::nullopt);
  EXPECT_EQ(BuildCardanoRequest(t, SigningMode::kMultisig, ms, {f.stake_key}, CardanoNetwork{})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST(CardanoChecks, WitnessPathsPerMode) {
  auto ms = CheckWitnessPaths(
      SigningMode::kMultisig,
      {P("m/1854'/1815'/0'/0/0"), P("m/1854'/1815'/0'/2/0"), P("m/1854'/1815'/0'/0/0")});
  ASSERT_TRUE(ms.ok());
  EXPECT_EQ(ms->size(), 2u);  // de-duplicated, order kept
  EXPECT_EQ(CheckWitnessPaths(SigningMode::kMultisig, {P("m/1852'/1815'/0'/0/0")}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckWitnessPaths(SigningMode::kMultisig, {P("m/1854'/1815'/0'/1/0")}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckWitnessPaths(SigningMode::kOrdinary, {P("m/1854'/1815'/0'/0/0")}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckWitnessPaths(SigningMode::kOrdinary, {P("m/1852'/1815'/3'/2/0")}).ok());
  EXPECT_EQ(CheckWitnessPaths(SigningMode::kOrdinary, {}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(CardanoChecks, NetworkInference) {
  Fixture f;
  chain::Credential script{chain::Credential::Kind::kScriptHash, f.script_hash};
  auto main = InferNetwork(chain::MakeTransaction(f.Body(script), {}, std::nullopt), 1);
  ASSERT_TRUE(main.ok());
  EXPECT_EQ(main->network_id, 1);
  EXPECT_EQ(main->protocol_magic, kMainnetProtocolMagic);
  chain::TxBody mixed = f.Body(script);
  mixed.outputs[0].address = chain::Address::Enterprise(chain::Network::kTestnet, script).ToBytes();
  EXPECT_EQ(InferNetwork(chain::MakeTransaction(mixed, {}, std::nullopt), 1).status().code(),
            StatusCode::kInvalidArgument);
  chain::TxBody test = mixed;
  test.withdrawals.clear();
  auto t = InferNetwork(chain::MakeTransaction(test, {}, std::nullopt), 2);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->network_id, 0);
  EXPECT_EQ(t->protocol_magic, 2u);
}

}  // namespace
}  // namespace stakeward::devices
