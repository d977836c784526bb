// Table-driven refusals: each row drives the mock over UDP into a request the real firmware
// refuses and checks the Failure code (and the message where the firmware's text is fixed).
// The "source" column names the trezor-firmware file/function that raises it (paths under
// core/src/, as cited in specs/trezor.md).
#include <functional>
#include <string>
#include <vector>

#include "proto/trezor/messages_cardano.pb.h"
#include "proto/trezor/messages_common.pb.h"
#include "proto/trezor/messages_ethereum.pb.h"
#include "tests/unit/mock_trezor/fixture_util.h"

namespace stakeward::mocks::trezor::testing {
namespace {

namespace cm = hw::trezor::messages::cardano;
namespace em = hw::trezor::messages::ethereum;
using Failure = hw::trezor::messages::common::Failure;

struct Step {
  uint16_t type;
  std::string payload;
};
template <typename M>
Step S(uint16_t type, const M& m) {
  return {type, m.SerializeAsString()};
}

const char kOutputAddress[] =
    "addr1q84sh2j72ux0l03fxndjnhctdg7hcppsaejafsa84vh7lwgmcs5wgus8qt4atk45lvt4xfxpjtwfhdmvchdf2m3"
    "u3hlsd5tq5r";
const char kScriptHash[] = "29fb5fd4aa8cadd6705acc8263cee0fc62edca5ac38db593fec2f9fd";
const char kPool[] = "f61c42cbf7c8c53af3f520508212ad3e72f674f957fe23ff0acb4973";
const char kPrevHash[] = "3b40265111d8bb3c3c608d95b3a0bf83461ace32d79336579a1939b3aad1c0b7";

std::string Raw(const std::string& hex) {
  const chain::Bytes b = Unhex(hex);
  return std::string(b.begin(), b.end());
}

cm::CardanoSignTxInit Init(cm::CardanoTxSigningMode mode, uint32_t certs, uint32_t withdrawals,
                           uint32_t witnesses) {
  cm::CardanoSignTxInit m;
  m.set_signing_mode(mode);
  m.set_protocol_magic(764824073);
  m.set_network_id(1);
  m.set_inputs_count(1);
  m.set_outputs_count(1);
  m.set_fee(42);
  m.set_ttl(10);
  m.set_certificates_count(certs);
  m.set_withdrawals_count(withdrawals);
  m.set_has_auxiliary_data(false);
  m.set_witness_requests_count(witnesses);
  m.set_minting_asset_groups_count(0);
  m.set_derivation_type(cm::ICARUS);
  m.set_collateral_inputs_count(0);
  m.set_required_signers_count(0);
  return m;
}
cm::CardanoTxInput Input() {
  cm::CardanoTxInput in;
  in.set_prev_hash(Raw(kPrevHash));
  in.set_prev_index(0);
  return in;
}
cm::CardanoTxOutput Output() {
  cm::CardanoTxOutput out;
  out.set_address(kOutputAddress);
  out.set_amount(1);
  out.set_asset_groups_count(0);
  return out;
}
void SetPath(google::protobuf::RepeatedField<uint32_t>* f, const std::string& path) {
  for (uint32_t i : PathOf(path)) f->Add(i);
}
cm::CardanoTxCertificate Cert(cm::CardanoCertificateType type) {
  cm::CardanoTxCertificate c;
  c.set_type(type);
  return c;
}
cm::CardanoTxWitnessRequest Witness(const std::string& path) {
  cm::CardanoTxWitnessRequest w;
  SetPath(w.mutable_path(), path);
  return w;
}
cm::CardanoTxWithdrawal Withdrawal(const std::string& path, uint64_t amount) {
  cm::CardanoTxWithdrawal w;
  SetPath(w.mutable_path(), path);
  w.set_amount(amount);
  return w;
}

// Common prefixes: Init + input + output of a one-certificate transaction.
std::vector<Step> Prefix(cm::CardanoTxSigningMode mode, uint32_t certs, uint32_t withdrawals,
                         uint32_t witnesses) {
  return {S(320, Init(mode, certs, withdrawals, witnesses)), S(321, Input()), S(322, Output())};
}
std::vector<Step> Then(std::vector<Step> steps, std::vector<Step> more) {
  steps.insert(steps.end(), more.begin(), more.end());
  return steps;
}

struct Row {
  std::string name;
  std::string source;
  std::function<std::vector<Step>()> steps;
  Failure::FailureType code;
  std::string message;  // empty: the firmware's text is not fixed / not checked
  bool derive_cardano = true;
  std::string reject_step = std::string();  // simulated user rejects this step
};

std::vector<Row> Rows() {
  constexpr auto kOrd = cm::ORDINARY_TRANSACTION;
  constexpr auto kMs = cm::MULTISIG_TRANSACTION;
  return {
      {"OrdinaryCertificateWithScriptHash",
       "apps/cardano/sign_tx/ordinary_signer.py _validate_certificate",
       [] {
         auto c = Cert(cm::STAKE_REGISTRATION);
         c.set_script_hash(Raw(kScriptHash));
         return Then(Prefix(kOrd, 1, 0, 1), {S(325, c)});
       },
       Failure::Failure_ProcessError, "Invalid certificate"},
      {"MultisigCertificateWithPath",
       "apps/cardano/sign_tx/multisig_signer.py _validate_certificate",
       [] {
         auto c = Cert(cm::STAKE_REGISTRATION);
         SetPath(c.mutable_path(), "m/1852'/1815'/0'/2/0");
         return Then(Prefix(kMs, 1, 0, 1), {S(325, c)});
       },
       Failure::Failure_ProcessError, "Invalid certificate"},
      {"MultisigOutputWithAddressParameters",
       "apps/cardano/sign_tx/multisig_signer.py _validate_output",
       [] {
         cm::CardanoTxOutput out;
         out.set_amount(1);
         out.set_asset_groups_count(0);
         auto* p = out.mutable_address_parameters();
         p->set_address_type(cm::BASE);
         SetPath(p->mutable_address_n(), "m/1852'/1815'/0'/0/0");
         SetPath(p->mutable_address_n_staking(), "m/1852'/1815'/0'/2/0");
         return std::vector<Step>{S(320, Init(kMs, 0, 0, 1)), S(321, Input()), S(322, out)};
       },
       Failure::Failure_ProcessError, "Invalid output"},
      {"MultisigWitnessWithShelleyPath",
       "apps/cardano/sign_tx/multisig_signer.py _validate_witness_request",
       [] {
         auto c = Cert(cm::STAKE_REGISTRATION);
         c.set_script_hash(Raw(kScriptHash));
         return Then(Prefix(kMs, 1, 0, 1), {S(325, c), S(315, Witness("m/1852'/1815'/0'/0/0"))});
       },
       Failure::Failure_ProcessError, "Invalid witness request"},
      {"OrdinaryWitnessWithMultisigPath",
       "apps/cardano/sign_tx/ordinary_signer.py _validate_witness_request",
       [] {
         return Then(
             std::vector<Step>{S(320, Init(kOrd, 0, 0, 1)), S(321, Input()), S(322, Output())},
             {S(315, Witness("m/1854'/1815'/0'/0/0"))});
       },
       Failure::Failure_ProcessError, "Invalid witness request"},
      {"CollateralInputsInOrdinaryMode",
       "apps/cardano/sign_tx/ordinary_signer.py _validate_tx_init",
       [] {
         auto init = Init(kOrd, 0, 0, 1);
         init.set_collateral_inputs_count(1);
         return std::vector<Step>{S(320, init)};
       },
       Failure::Failure_ProcessError, "Invalid tx signing request"},
      {"FeeAboveMaxSupply", "apps/cardano/sign_tx/signer.py _validate_tx_init",
       [] {
         auto init = Init(kOrd, 0, 0, 1);
         init.set_fee(45'000'000'000'000'001ull);
         return std::vector<Step>{S(320, init)};
       },
       Failure::Failure_ProcessError, "Fee is out of range!"},
      {"MainnetMagicWithTestnetNetworkId", "apps/cardano/helpers/utils.py validate_network_info",
       [] {
         auto init = Init(kOrd, 0, 0, 1);
         init.set_network_id(0);
         return std::vector<Step>{S(320, init)};
       },
       Failure::Failure_ProcessError, ""},
      {"ShortInputHash", "apps/cardano/sign_tx/signer.py _validate_input",
       [] {
         auto in = Input();
         in.set_prev_hash(in.prev_hash().substr(1));
         return std::vector<Step>{S(320, Init(kOrd, 0, 0, 1)), S(321, in)};
       },
       Failure::Failure_ProcessError, "Invalid input"},
      {"OutputBeforeInput", "trezor/wire/context.py call (unexpected message type)",
       [] {
         return std::vector<Step>{S(320, Init(kOrd, 0, 0, 1)), S(322, Output())};
       },
       Failure::Failure_UnexpectedMessage, "Unexpected message"},
      {"WithdrawalsNotInCanonicalOrder",
       "apps/cardano/helpers/hash_builder_collection.py HashBuilderDict (signer.py "
       "_process_withdrawals)",
       [] {
         // Reward addresses of accounts 0 and 1 (same account rule aside) in descending order.
         cm::CardanoTxWithdrawal a, b;
         a.set_amount(1);
         a.set_script_hash(Raw("ff" + std::string(kScriptHash).substr(2)));
         b.set_amount(1);
         b.set_script_hash(Raw(kScriptHash));
         return Then(Prefix(kMs, 0, 2, 1), {S(326, a), S(326, b)});
       },
       Failure::Failure_ProcessError, "Invalid withdrawal"},
      {"WithdrawalAmountAtMaxSupply", "apps/cardano/sign_tx/signer.py _validate_withdrawal",
       [] {
         return Then(Prefix(kOrd, 0, 1, 1),
                     {S(326, Withdrawal("m/1852'/1815'/0'/2/0", 45'000'000'000'000'000ull))});
       },
       Failure::Failure_ProcessError, "Invalid withdrawal"},
      {"DelegationWithoutPool", "apps/cardano/certificates.py _validate_structure",
       [] {
         auto c = Cert(cm::STAKE_DELEGATION);
         SetPath(c.mutable_path(), "m/1852'/1815'/0'/2/0");
         return Then(Prefix(kOrd, 1, 0, 1), {S(325, c)});
       },
       Failure::Failure_ProcessError, "Invalid certificate"},
      {"AbstainDRepWithKeyHash", "apps/cardano/certificates.py validate (drep)",
       [] {
         auto c = Cert(cm::VOTE_DELEGATION);
         SetPath(c.mutable_path(), "m/1852'/1815'/0'/2/0");
         c.mutable_drep()->set_type(cm::ABSTAIN);
         c.mutable_drep()->set_key_hash(Raw(kScriptHash));
         return Then(Prefix(kOrd, 1, 0, 1), {S(325, c)});
       },
       Failure::Failure_ProcessError, "Invalid certificate"},
      {"PoolRegistrationInOrdinaryMode",
       "apps/cardano/sign_tx/ordinary_signer.py _validate_certificate",
       [] {
         auto c = Cert(cm::STAKE_POOL_REGISTRATION);
         return Then(Prefix(kOrd, 1, 0, 1), {S(325, c)});
       },
       Failure::Failure_ProcessError, "Invalid certificate"},
      {"UnusualCertificateStakingPath",
       "apps/cardano/sign_tx/signer.py _fail_or_warn_path (strict)",
       [] {
         auto c = Cert(cm::STAKE_DEREGISTRATION);
         SetPath(c.mutable_path(), "m/1852'/1815'/101'/2/0");
         return Then(Prefix(kOrd, 1, 0, 1), {S(325, c)});
       },
       Failure::Failure_DataError, "Invalid certificate path"},
      {"IcarusWithoutDeriveCardano", "apps/cardano/seed.py _get_keychain_bip39",
       [] { return std::vector<Step>{S(320, Init(kOrd, 0, 0, 1))}; }, Failure::Failure_ProcessError,
       "Cardano derivation is not enabled for this session", false},
      {"PublicKeyOutsideCardanoSchema",
       "apps/cardano/get_public_key.py (SCHEMA_PUBKEY keychain check)",
       [] {
         cm::CardanoGetPublicKey req;
         SetPath(req.mutable_address_n(), "m/44'/60'/0'");
         req.set_derivation_type(cm::ICARUS);
         return std::vector<Step>{S(305, req)};
       },
       Failure::Failure_DataError, "Forbidden key path"},
      {"UserRejectsCertificate", "trezor/wire/errors.py ActionCancelled (layout confirm)",
       [] {
         auto c = Cert(cm::STAKE_DELEGATION);
         c.set_script_hash(Raw(kScriptHash));
         c.set_pool(Raw(kPool));
         return Then(Prefix(kMs, 1, 0, 1), {S(325, c)});
       },
       Failure::Failure_ActionCancelled, "Cancelled", true, "certificate"},
      {"CancelDuringSigning", "trezor/wire (Cancel -> ActionCancelled)",
       [] {
         return Then(Prefix(kOrd, 0, 0, 1), {Step{20, ""}});
       },
       Failure::Failure_ActionCancelled, "Cancelled"},
      {"MissingRequiredField", "rust/src/protobuf/decode.rs (required field missing)",
       [] {
         cm::CardanoTxInput in;
         in.set_prev_hash(Raw(kPrevHash));  // prev_index (required) missing
         return std::vector<Step>{S(320, Init(kOrd, 0, 0, 1)),
                                  {321, in.SerializePartialAsString()}};
       },
       Failure::Failure_DataError, ""},
      {"EthereumFeeOverflow", "apps/ethereum/sign_tx_eip1559.py check",
       [] {
         em::EthereumSignTxEIP1559 m;
         SetPath(m.mutable_address_n(), "m/44'/60'/0'/0/0");
         m.set_nonce("");
         m.set_max_gas_fee(std::string(16, '\x01'));
         m.set_max_priority_fee("\x01");
         m.set_gas_limit(std::string(16, '\x01'));
         m.set_value("");
         m.set_to("0x1d1c328764a41bda0492b66baa30c4a339ff85ef");
         m.set_data_length(0);
         m.set_chain_id(1);
         return std::vector<Step>{S(452, m)};
       },
       Failure::Failure_DataError, "Fee overflow"},
      {"EthereumDeploymentWithoutData", "apps/ethereum/sign_tx.py check_common_fields",
       [] {
         em::EthereumSignTxEIP1559 m;
         SetPath(m.mutable_address_n(), "m/44'/60'/0'/0/0");
         m.set_nonce("");
         m.set_max_gas_fee("\x14");
         m.set_max_priority_fee("\x01");
         m.set_gas_limit("\x14");
         m.set_value("");
         m.set_data_length(0);
         m.set_chain_id(1);
         return std::vector<Step>{S(452, m)};
       },
       Failure::Failure_DataError, "Contract deployment without data"},
      {"BareCancel",
       "python/src/trezorlib/protocol_v1.py probe (codec-v1 device: not InvalidProtocol)",
       [] {
         return std::vector<Step>{Step{20, ""}};
       },
       Failure::Failure_ActionCancelled, "Cancelled"},
      {"ButtonAckWithoutButtonRequest", "trezor/wire (no handler for ButtonAck)",
       [] {
         return std::vector<Step>{Step{27, ""}};
       },
       Failure::Failure_UnexpectedMessage, "Unexpected message"},
  };
}

class Refusal : public ::testing::TestWithParam<Row> {};

TEST_P(Refusal, AnsweredWithFirmwareFailure) {
  const Row& row = GetParam();
  SCOPED_TRACE(row.source);
  MockTrezorOptions options;
  if (!row.reject_step.empty()) options.user = "reject:" + row.reject_step;
  auto rig = Rig::Start(options);
  ASSERT_NE(rig, nullptr);
  rig->Initialize(row.derive_cardano);
  const std::vector<Step> steps = row.steps();
  for (size_t i = 0; i < steps.size(); ++i) {
    auto reply = rig->host->Call(steps[i].type, chain::View(std::string_view(steps[i].payload)));
    ASSERT_TRUE(reply.ok()) << reply.status();
    const bool last = i + 1 == steps.size();
    if (!last) {
      ASSERT_NE(reply->type, 3) << "step " << i << " failed early: " << PayloadHex(*reply);
      continue;
    }
    ASSERT_EQ(reply->type, 3) << "expected Failure, got type " << reply->type;
    Failure f;
    ASSERT_TRUE(f.ParseFromArray(reply->payload.data(), reply->payload.size()));
    EXPECT_EQ(f.code(), row.code) << f.message();
    if (!row.message.empty()) {
      EXPECT_EQ(f.message(), row.message);
    }
  }
  // The device is usable again afterwards.
  EXPECT_TRUE(rig->host->Ping());
  auto features = rig->host->Call(55, chain::ByteView());
  ASSERT_TRUE(features.ok());
  EXPECT_EQ(features->type, 17);
}

INSTANTIATE_TEST_SUITE_P(Table, Refusal, ::testing::ValuesIn(Rows()),
                         [](const ::testing::TestParamInfo<Row>& info) { return info.param.name; });

}  // namespace
}  // namespace stakeward::mocks::trezor::testing
