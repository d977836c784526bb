// mock-trezor against the published Trezor fixtures (vectors/trezor/, from trezor-firmware
// common/tests/fixtures): every signing transcript replayed byte for byte over UDP, the tx hash
// and witnesses compared with the upstream results, and the public key, address and EIP-1559
// vectors. One test per fixture case.
#include <string>
#include <vector>

#include "chain/evm.h"
#include "proto/trezor/messages_cardano.pb.h"
#include "proto/trezor/messages_ethereum.pb.h"
#include "tests/unit/mock_trezor/fixture_util.h"

namespace stakeward::mocks::trezor::testing {
namespace {

namespace cm = hw::trezor::messages::cardano;
namespace em = hw::trezor::messages::ethereum;

// ---------------------------------------------------------------- Cardano signing transcripts

std::vector<int> TranscriptIndexes() {
  std::vector<int> out;
  const auto t = LoadVector("cardano_sign_tx_transcripts.json");
  for (size_t i = 0; i < t["transcripts"].size(); ++i) out.push_back(static_cast<int>(i));
  return out;
}

const nlohmann::json* FindFixtureCase(const nlohmann::json& fixture, const std::string& desc) {
  for (const auto& c : fixture["tests"]) {
    if (c["description"] == desc) return &c;
  }
  return nullptr;
}

class SignTxTranscript : public ::testing::TestWithParam<int> {};

TEST_P(SignTxTranscript, ReproducesHostDeviceExchangeAndUpstreamResult) {
  const auto all = LoadVector("cardano_sign_tx_transcripts.json");
  const auto& t = all["transcripts"][GetParam()];
  SCOPED_TRACE(t["description"].get<std::string>());
  const auto fixture = LoadVector(t["fixture_file"].get<std::string>());
  const nlohmann::json* expected = FindFixtureCase(fixture, t["description"]);
  ASSERT_NE(expected, nullptr);

  auto rig = Rig::Start();
  ASSERT_NE(rig, nullptr);
  rig->Initialize();
  std::string tx_hash;
  std::vector<cm::CardanoTxWitnessResponse> witnesses;
  int button_requests = 0;
  for (const auto& step : t["steps"]) {
    const chain::Bytes payload = Unhex(step["host"]["payload_hex"]);
    auto reply = rig->host->Call(step["host"]["type"].get<uint16_t>(), chain::View(payload),
                                 absl::Seconds(5), &button_requests);
    ASSERT_TRUE(reply.ok()) << reply.status();
    ASSERT_EQ(reply->type, step["device"]["type"].get<uint16_t>())
        << step["host"]["name"] << " answered with " << PayloadHex(*reply);
    EXPECT_EQ(PayloadHex(*reply), step["device"]["payload_hex"].get<std::string>())
        << step["host"]["name"];
    if (reply->type == 318) {
      cm::CardanoTxBodyHash h;
      ASSERT_TRUE(h.ParseFromArray(reply->payload.data(), reply->payload.size()));
      tx_hash = Hex(h.tx_hash());
    }
    if (reply->type == 316) {
      cm::CardanoTxWitnessResponse w;
      ASSERT_TRUE(w.ParseFromArray(reply->payload.data(), reply->payload.size()));
      witnesses.push_back(w);
    }
  }
  // Confirmations happened: at least the final "sign" screens.
  EXPECT_GE(button_requests, 2);
  EXPECT_EQ(tx_hash, (*expected)["result"]["tx_hash"].get<std::string>());
  const auto& exp_w = (*expected)["result"]["witnesses"];
  ASSERT_EQ(witnesses.size(), exp_w.size());
  for (size_t i = 0; i < witnesses.size(); ++i) {
    EXPECT_EQ(static_cast<int>(witnesses[i].type()), exp_w[i]["type"].get<int>());
    EXPECT_EQ(Hex(witnesses[i].pub_key()), exp_w[i]["pub_key"].get<std::string>());
    EXPECT_EQ(Hex(witnesses[i].signature()), exp_w[i]["signature"].get<std::string>());
    if (exp_w[i]["chain_code"].is_null()) {
      EXPECT_FALSE(witnesses[i].has_chain_code());
    } else {
      EXPECT_EQ(Hex(witnesses[i].chain_code()), exp_w[i]["chain_code"].get<std::string>());
    }
  }
}

// Rows named after the upstream fixture's description, so a failure says which case.
INSTANTIATE_TEST_SUITE_P(Fixtures, SignTxTranscript, ::testing::ValuesIn(TranscriptIndexes()),
                         [](const ::testing::TestParamInfo<int>& info) {
                           const auto all = LoadVector("cardano_sign_tx_transcripts.json");
                           std::string n = all["transcripts"][info.param]["description"];
                           for (char& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n + "_" + std::to_string(info.param);
                         });

// ---------------------------------------------------------------- public keys

struct KeyCase {
  std::string file;
  int index;
};

std::vector<KeyCase> Cases(const std::vector<std::string>& files) {
  std::vector<KeyCase> out;
  for (const auto& f : files) {
    const auto j = LoadVector(f);
    for (size_t i = 0; i < j["tests"].size(); ++i) out.push_back({f, static_cast<int>(i)});
  }
  return out;
}

std::string CaseName(const ::testing::TestParamInfo<KeyCase>& info) {
  std::string name = info.param.file.substr(0, info.param.file.find('.'));
  return name + "_" + std::to_string(info.param.index);
}

cm::CardanoDerivationType DerivationOf(const nlohmann::json& params) {
  // The upstream address / public-key harness defaults to ICARUS_TREZOR.
  const std::string d = params.value("derivation_type", "ICARUS_TREZOR");
  if (d == "LEDGER") return cm::LEDGER;
  if (d == "ICARUS") return cm::ICARUS;
  return cm::ICARUS_TREZOR;
}

class PublicKeyFixture : public ::testing::TestWithParam<KeyCase> {};

TEST_P(PublicKeyFixture, MatchesUpstream) {
  const auto j = LoadVector(GetParam().file);
  const auto& c = j["tests"][GetParam().index];
  MockTrezorOptions options;
  options.mnemonic = j["setup"]["mnemonic"];
  auto rig = Rig::Start(options);
  ASSERT_NE(rig, nullptr);
  rig->Initialize();
  cm::CardanoGetPublicKey req;
  for (uint32_t i : PathOf(c["parameters"]["path"])) req.add_address_n(i);
  req.set_derivation_type(DerivationOf(c["parameters"]));
  auto reply = rig->host->Call(305, req);
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->type, 306) << PayloadHex(*reply);
  cm::CardanoPublicKey pk;
  ASSERT_TRUE(pk.ParseFromArray(reply->payload.data(), reply->payload.size()));
  const std::string pub = c["result"]["public_key"], cc = c["result"]["chain_code"];
  EXPECT_EQ(Hex(pk.node().public_key()), pub);
  EXPECT_EQ(Hex(pk.node().chain_code()), cc);
  EXPECT_EQ(pk.xpub(), pub + cc);
  EXPECT_EQ(pk.node().depth(), req.address_n_size());
  EXPECT_EQ(pk.node().child_num(), req.address_n(req.address_n_size() - 1));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, PublicKeyFixture,
                         ::testing::ValuesIn(Cases({"cardano_get_public_key.json",
                                                    "cardano_get_public_key_derivations.json"})),
                         CaseName);

// ---------------------------------------------------------------- addresses

class AddressFixture : public ::testing::TestWithParam<KeyCase> {};

TEST_P(AddressFixture, MatchesUpstream) {
  const auto j = LoadVector(GetParam().file);
  const auto& c = j["tests"][GetParam().index];
  const auto& p = c["parameters"];
  MockTrezorOptions options;
  options.mnemonic = j["setup"]["mnemonic"];
  auto rig = Rig::Start(options);
  ASSERT_NE(rig, nullptr);
  rig->Initialize();
  cm::CardanoGetAddress req;
  req.set_protocol_magic(p["protocol_magic"]);
  req.set_network_id(p["network_id"]);
  req.set_derivation_type(DerivationOf(p));
  auto* ap = req.mutable_address_parameters();
  const std::string type = p["address_type"];
  if (type == "base") {
    ap->set_address_type(cm::BASE);
  } else if (type == "reward") {
    ap->set_address_type(cm::REWARD);
  } else if (type == "reward_script") {
    ap->set_address_type(cm::REWARD_SCRIPT);
  } else {
    GTEST_FAIL() << "fixture address type not handled by this test: " << type;
  }
  if (p.contains("path")) {
    for (uint32_t i : PathOf(p["path"])) ap->add_address_n(i);
  }
  if (p.contains("staking_path")) {
    for (uint32_t i : PathOf(p["staking_path"])) ap->add_address_n_staking(i);
  }
  if (p.contains("script_staking_hash")) {
    const chain::Bytes h = Unhex(p["script_staking_hash"]);
    ap->set_script_staking_hash(std::string(h.begin(), h.end()));
  }
  auto reply = rig->host->Call(307, req);
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->type, 308) << PayloadHex(*reply);
  cm::CardanoAddress addr;
  ASSERT_TRUE(addr.ParseFromArray(reply->payload.data(), reply->payload.size()));
  EXPECT_EQ(addr.address(), c["result"]["expected_address"].get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, AddressFixture,
                         ::testing::ValuesIn(Cases({"cardano_get_address.json",
                                                    "cardano_get_base_address_derivations.json"})),
                         CaseName);

// ---------------------------------------------------------------- Ethereum EIP-1559

// trezorlib int_to_big_endian: minimal big-endian bytes, empty for zero.
std::string IntBytes(const std::string& hex) {
  chain::Bytes b = Unhex(hex.size() % 2 ? "0" + hex.substr(2) : hex.substr(2));
  size_t i = 0;
  while (i < b.size() && b[i] == 0) ++i;
  return std::string(b.begin() + i, b.end());
}

// Runs the EthereumSignTxEIP1559 flow with 1024-byte chunks; returns the final request.
em::EthereumTxRequest SignEip1559(UdpHost& host, em::EthereumSignTxEIP1559 req,
                                  const chain::Bytes& data) {
  const size_t first = std::min<size_t>(data.size(), 1024);
  req.set_data_initial_chunk(std::string(data.begin(), data.begin() + first));
  req.set_data_length(static_cast<uint32_t>(data.size()));
  size_t sent = first;
  auto reply = host.Call(452, req);
  em::EthereumTxRequest tr;
  while (true) {
    EXPECT_TRUE(reply.ok()) << reply.status();
    if (!reply.ok()) return tr;
    EXPECT_EQ(reply->type, 59) << PayloadHex(*reply);
    if (reply->type != 59) return tr;
    EXPECT_TRUE(tr.ParseFromArray(reply->payload.data(), reply->payload.size()));
    if (!tr.has_data_length()) return tr;
    em::EthereumTxAck ack;
    ack.set_data_chunk(std::string(data.begin() + sent, data.begin() + sent + tr.data_length()));
    sent += tr.data_length();
    reply = host.Call(60, ack);
  }
}

class Eip1559Fixture : public ::testing::TestWithParam<KeyCase> {};

TEST_P(Eip1559Fixture, MatchesUpstreamSignature) {
  const auto j = LoadVector(GetParam().file);
  const auto& c = j["tests"][GetParam().index];
  const auto& p = c["parameters"];
  auto rig = Rig::Start();
  ASSERT_NE(rig, nullptr);
  em::EthereumSignTxEIP1559 req;
  for (uint32_t i : PathOf(p["path"])) req.add_address_n(i);
  req.set_nonce(IntBytes(p["nonce"]));
  req.set_max_gas_fee(IntBytes(p["max_gas_fee"]));
  req.set_max_priority_fee(IntBytes(p["max_priority_fee"]));
  req.set_gas_limit(IntBytes(p["gas_limit"]));
  req.set_value(IntBytes(p["value"]));
  req.set_to(p["to_address"]);
  req.set_chain_id(p["chain_id"].get<uint64_t>());
  const em::EthereumTxRequest sig = SignEip1559(*rig->host, req, Unhex(p["data"]));
  EXPECT_EQ(sig.signature_v(), c["result"]["sig_v"].get<uint32_t>());
  EXPECT_EQ(Hex(sig.signature_r()), c["result"]["sig_r"].get<std::string>());
  EXPECT_EQ(Hex(sig.signature_s()), c["result"]["sig_s"].get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Eip1559Fixture,
                         ::testing::ValuesIn(Cases({"ethereum_sign_tx_eip1559.json"})), CaseName);

// Calldata longer than one chunk: the device asks for the rest in 1024-byte pieces and the
// signature recovers to the address EthereumGetAddress reports.
TEST(Eip1559, ChunkedCalldataSignsWholeTransaction) {
  auto rig = Rig::Start();
  ASSERT_NE(rig, nullptr);
  const std::vector<uint32_t> path = PathOf("m/44'/60'/0'/0/0");
  em::EthereumGetAddress ga;
  for (uint32_t i : path) ga.add_address_n(i);
  auto a = rig->host->Call(56, ga);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->type, 57);
  em::EthereumAddress address;
  ASSERT_TRUE(address.ParseFromArray(a->payload.data(), a->payload.size()));

  chain::Bytes data(2500);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7);
  em::EthereumSignTxEIP1559 req;
  for (uint32_t i : path) req.add_address_n(i);
  req.set_nonce(std::string("\x05", 1));
  req.set_max_gas_fee(std::string("\x3b\x9a\xca\x00", 4));
  req.set_max_priority_fee(std::string("\x01", 1));
  req.set_gas_limit(std::string("\x01\x86\xa0", 3));
  req.set_value("");
  req.set_to("0x1d1c328764a41bda0492b66baa30c4a339ff85ef");
  req.set_chain_id(2001);
  const em::EthereumTxRequest sig = SignEip1559(*rig->host, req, data);
  ASSERT_EQ(sig.signature_r().size(), 32u);

  chain::evm::Eip1559Tx tx;
  tx.chain_id = 2001;
  tx.nonce = chain::evm::U256::FromUint64(5);
  tx.max_fee_per_gas = chain::evm::U256::FromUint64(1000000000);
  tx.max_priority_fee_per_gas = chain::evm::U256::FromUint64(1);
  tx.gas_limit = chain::evm::U256::FromUint64(100000);
  tx.to = *chain::evm::ParseAddress("0x1d1c328764a41bda0492b66baa30c4a339ff85ef");
  tx.data = data;
  chain::evm::EvmSignature s;
  s.y_parity = static_cast<uint8_t>(sig.signature_v());
  std::copy(sig.signature_r().begin(), sig.signature_r().end(), s.r.begin());
  std::copy(sig.signature_s().begin(), sig.signature_s().end(), s.s.begin());
  auto signer = chain::evm::RecoverSender(tx, s);
  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_EQ(chain::evm::ToChecksumAddress(*signer), address.address());
}

}  // namespace
}  // namespace stakeward::mocks::trezor::testing
