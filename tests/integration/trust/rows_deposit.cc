// The reserved L2 deposit redirected or re-priced, its signing path or sender changed, and the
// epoch's reward proposal not confirmed: `stakeward rewards deposit` must refuse each.
#include "absl/strings/str_cat.h"
#include "chain/check.h"
#include "tests/integration/rewards/rewards_fixture.h"
#include "tests/integration/trust/rows.h"

namespace stakeward::controller::testing {
namespace {

using TxEdit = std::function<void(chain::evm::Eip1559Tx*)>;

chain::evm::Eip1559Tx Reserved(const RecordedRound& r) {
  const std::string& b = r.reservation.deposit().unsigned_tx();
  absl::StatusOr<chain::evm::Eip1559Tx> tx = chain::evm::DecodeUnsigned(
      chain::ByteView(reinterpret_cast<const uint8_t*>(b.data()), b.size()));
  SW_CHECK(tx.ok());
  return *tx;
}

Row TxRow(const std::string& name, const std::string& what, TxEdit edit) {
  return Row{name, RoundKind::kDeposit, false, [what, edit](const RecordedRound& h) {
               RecordedRound r = h;
               chain::evm::Eip1559Tx tx = Reserved(r);
               edit(&tx);
               const chain::Bytes enc = chain::evm::EncodeUnsigned(tx);
               v1::L2Deposit* d = r.reservation.mutable_deposit();
               d->set_unsigned_tx(std::string(enc.begin(), enc.end()));
               d->set_value_wei(tx.value.ToDecimal());  // the controller's story matches
               d->set_nonce(tx.nonce.ToDecimal());
               d->set_chain_id(tx.chain_id);
               if (r.epoch.has_deposit()) *r.epoch.mutable_deposit() = *d;
               std::vector<Variant> out;
               out.push_back(Variant{what, std::move(r)});
               return out;
             }};
}

Row DepositRow(const std::string& name, const std::string& what,
               std::function<void(RecordedRound*)> edit) {
  return Row{name, RoundKind::kDeposit, false, [what, edit](const RecordedRound& h) {
               RecordedRound r = h;
               edit(&r);
               std::vector<Variant> out;
               out.push_back(Variant{what, std::move(r)});
               return out;
             }};
}

chain::evm::U256 U(uint64_t v) { return chain::evm::U256::FromUint64(v); }

}  // namespace

std::vector<Row> DepositRows() {
  std::vector<Row> rows;
  rows.push_back(TxRow("DepositToOtherContract", "`to` redirected", [](chain::evm::Eip1559Tx* t) {
    SW_CHECK(t->to.has_value());
    (*t->to)[19] ^= 0x01;
  }));
  rows.push_back(TxRow("DepositContractCreation", "`to` removed (contract creation)",
                       [](chain::evm::Eip1559Tx* t) { t->to.reset(); }));
  rows.push_back(TxRow("DepositValue", "value + 1 wei",
                       [](chain::evm::Eip1559Tx* t) { t->value = *t->value.CheckedAdd(U(1)); }));
  rows.push_back(TxRow("DepositValueDoubled", "value doubled",
                       [](chain::evm::Eip1559Tx* t) { t->value = *t->value.CheckedMulSmall(2); }));
  rows.push_back(TxRow("DepositCalldata", "calldata last byte", [](chain::evm::Eip1559Tx* t) {
    SW_CHECK(!t->data.empty());
    t->data.back() ^= 0x01;
  }));
  rows.push_back(
      TxRow("DepositCalldataSelector", "calldata selector", [](chain::evm::Eip1559Tx* t) {
        SW_CHECK(!t->data.empty());
        t->data[0] ^= 0x01;
      }));
  rows.push_back(
      TxRow("DepositChainId", "chain id + 1", [](chain::evm::Eip1559Tx* t) { t->chain_id += 1; }));
  rows.push_back(TxRow("DepositGasLimitAboveLimit", "gas limit 150001",
                       [](chain::evm::Eip1559Tx* t) { t->gas_limit = U(150001); }));
  rows.push_back(TxRow("DepositMaxFeeAboveLimit", "max fee per gas 100 gwei + 1",
                       [](chain::evm::Eip1559Tx* t) { t->max_fee_per_gas = U(100000000001); }));
  rows.push_back(
      TxRow("DepositPriorityFeeAboveLimit", "max priority fee 1 gwei + 1",
            [](chain::evm::Eip1559Tx* t) { t->max_priority_fee_per_gas = U(1000000001); }));
  rows.push_back(TxRow("DepositNonce", "nonce 1 instead of 0",
                       [](chain::evm::Eip1559Tx* t) { t->nonce = U(1); }));
  rows.push_back(DepositRow(
      "DepositPathOtherAccount", "L2Deposit.path m/44'/60'/0'/0/1",
      [](RecordedRound* r) { r->reservation.mutable_deposit()->set_path("m/44'/60'/0'/0/1"); }));
  rows.push_back(DepositRow(
      "DepositPathOtherCoin", "L2Deposit.path m/44'/1815'/0'/0/0",
      [](RecordedRound* r) { r->reservation.mutable_deposit()->set_path("m/44'/1815'/0'/0/0"); }));
  rows.push_back(DepositRow(
      "DepositSenderOtherAddress", "L2Deposit.sender another address", [](RecordedRound* r) {
        chain::evm::Address a = OperatorKey().EthAddress();
        a[0] ^= 0x01;
        r->reservation.mutable_deposit()->set_sender(chain::evm::ToChecksumAddress(a));
      }));
  for (v1::ProposalState s : {v1::PROPOSAL_STATE_OPEN, v1::PROPOSAL_STATE_READY,
                              v1::PROPOSAL_STATE_SUBMITTED, v1::PROPOSAL_STATE_REJECTED}) {
    rows.push_back(DepositRow(
        absl::StrCat("RewardProposal", v1::ProposalState_Name(s).substr(15), "NotConfirmed"),
        absl::StrCat("reward proposal ", v1::ProposalState_Name(s)),
        [s](RecordedRound* r) { r->proposal.set_state(s); }));
  }
  return rows;
}

}  // namespace stakeward::controller::testing
