#include "tests/integration/devices/device_test_util.h"

#include "chain/address.h"
#include "chain/check.h"
#include "chain/native_script.h"

namespace stakeward::devices::testing {

absl::StatusOr<std::string> StartMock(MockProcess& mock, const std::string& executable,
                                      const std::vector<std::string>& flags,
                                      const std::string& scheme) {
  std::vector<std::string> args = {"--control-port", "0"};
  if (executable == "mock-ledger") {
    args.insert(args.end(), {"--apdu-port", "0"});
  } else {
    args.insert(args.end(), {"--port", "0"});
  }
  args.insert(args.end(), flags.begin(), flags.end());
  if (absl::Status s = mock.Start(executable, args); !s.ok()) return s;
  return mock.Uri(scheme);
}

chain::Path P(const std::string& s) {
  auto p = chain::ParsePath(s);
  SW_CHECK(p.ok());
  return *p;
}

chain::XPub CardanoKey(const std::string& mnemonic, const std::string& passphrase,
                       chain::Derivation derivation, const std::string& path) {
  auto master = chain::MasterKeyFromMnemonic(mnemonic, passphrase, derivation);
  SW_CHECK(master.ok());
  return chain::ToPublic(chain::DerivePath(*master, P(path)));
}

chain::evm::Address EthAddress(const std::string& mnemonic, const std::string& passphrase,
                               const std::string& path) {
  auto seed = chain::MnemonicToSeed(mnemonic, passphrase);
  SW_CHECK(seed.ok());
  auto master = chain::evm::Secp256k1Key::MasterFromSeed(chain::View(*seed));
  SW_CHECK(master.ok());
  auto child = master->DerivePath(P(path));
  SW_CHECK(child.ok());
  return child->EthAddress();
}

std::vector<chain::Path> MultisigPaths() {
  return {P("m/1854'/1815'/0'/0/0"), P("m/1854'/1815'/0'/2/0")};
}

CardanoNetwork Testnet() { return CardanoNetwork{0, kPreprodProtocolMagic}; }

chain::Transaction MultisigDelegationTx(const std::string& mnemonic, chain::Derivation derivation,
                                        const std::string& passphrase, int extra_delegations,
                                        bool withdrawal) {
  auto hash = [&](const char* path) {
    return chain::KeyHash(CardanoKey(mnemonic, passphrase, derivation, path).public_key);
  };
  chain::NativeScript pay =
      chain::NativeScript::AtLeast(1, {chain::NativeScript::Sig(hash("m/1854'/1815'/0'/0/0"))});
  chain::NativeScript stake =
      chain::NativeScript::AtLeast(1, {chain::NativeScript::Sig(hash("m/1854'/1815'/0'/2/0"))});
  chain::Credential pc{chain::Credential::Kind::kScriptHash, chain::NativeScriptHash(pay)};
  chain::Credential sc{chain::Credential::Kind::kScriptHash, chain::NativeScriptHash(stake)};
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
  b.certificates.push_back(chain::Certificate::Registration(sc, chain::Lovelace(2'000'000)));
  b.certificates.push_back(chain::Certificate::StakeDelegation(sc, pool));
  b.certificates.push_back(chain::Certificate::VoteDelegation(sc, drep));
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

}  // namespace stakeward::devices::testing
