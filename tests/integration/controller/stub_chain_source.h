// A ChainSource whose every call is UNIMPLEMENTED: test chains derive from it and answer only the
// calls they model.
#ifndef STAKEWARD_TESTS_INTEGRATION_CONTROLLER_STUB_CHAIN_SOURCE_H_
#define STAKEWARD_TESTS_INTEGRATION_CONTROLLER_STUB_CHAIN_SOURCE_H_

#include <string>
#include <vector>

#include "chainsource/chain_source.h"

namespace stakeward::controller::testing {

class StubChainSource : public chainsource::ChainSource {
 public:
  std::string Describe() const override { return "test chain"; }
  absl::StatusOr<chainsource::Tip> QueryTip(absl::Duration) override { return No(); }
  absl::StatusOr<uint64_t> QueryEpoch(absl::Duration) override { return No(); }
  absl::StatusOr<policy::ProtocolParams> QueryProtocolParameters(absl::Duration) override {
    return No();
  }
  absl::StatusOr<std::vector<chainsource::StakePool>> QueryStakePools(absl::Duration) override {
    return No();
  }
  absl::StatusOr<std::vector<chainsource::RelativeStake>> QueryLiveStakeDistribution(
      absl::Duration) override {
    return No();
  }
  absl::StatusOr<std::vector<chainsource::PoolPerformance>> QueryPoolPerformances(
      absl::Span<const chain::Hash28>, absl::Duration) override {
    return No();
  }
  absl::StatusOr<std::vector<chainsource::RewardAccountSummary>> QueryRewardAccounts(
      chain::Network, absl::Span<const chain::Credential>, absl::Duration) override {
    return No();
  }
  absl::StatusOr<std::vector<chainsource::AddressUtxo>> QueryUtxos(absl::Span<const std::string>,
                                                                   absl::Duration) override {
    return No();
  }
  absl::StatusOr<chainsource::TreasuryAndReserves> QueryTreasuryAndReserves(
      absl::Duration) override {
    return No();
  }
  absl::StatusOr<chain::Hash32> SubmitTransaction(chain::ByteView, absl::Duration) override {
    return No();
  }
  absl::StatusOr<std::vector<chainsource::TxSighting>> ObserveTransactions(
      absl::Span<const chainsource::WatchedTx>, absl::Duration) override {
    return No();
  }

 protected:
  static absl::Status No() { return absl::UnimplementedError("not in the test chain"); }
};

}  // namespace stakeward::controller::testing

#endif  // STAKEWARD_TESTS_INTEGRATION_CONTROLLER_STUB_CHAIN_SOURCE_H_
