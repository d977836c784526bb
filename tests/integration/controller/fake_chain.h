// A small ledger model behind the ChainSource interface, for the controller's chain lifecycle
// tests: submissions enter a mempool, MineBlock applies the valid ones (inputs unspent, TTL not
// reached), Rollback undoes the newest block, AdvanceSlots moves time without blocks. Only the
// calls the lifecycle uses are offered; the others are UNIMPLEMENTED. The real-ledger tests (npm
// scalus behind an Ogmios front) are the independent check of the rules modelled here.
#ifndef STAKEWARD_TESTS_INTEGRATION_CONTROLLER_FAKE_CHAIN_H_
#define STAKEWARD_TESTS_INTEGRATION_CONTROLLER_FAKE_CHAIN_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "chain/tx.h"
#include "chainsource/chain_source.h"
#include "tests/integration/controller/stub_chain_source.h"

namespace stakeward::controller::testing {

class FakeChain : public StubChainSource {
 public:
  explicit FakeChain(uint64_t slot) : slot_(slot) {}

  // Test controls (thread-safe; the watcher calls from the server's threads).
  void MineBlock();
  void Rollback();
  void AdvanceSlots(uint64_t n);
  // The next submission is refused as Ogmios refuses an unknown input (3117).
  void RefuseNextAsUnknownInput();
  // ObserveTransactions answers with other transaction ids (a lying or broken source).
  void AnswerWithWrongIds();
  int submissions() const;
  bool Applied(const chain::Hash32& id) const;

  std::string Describe() const override { return "fake chain"; }
  absl::StatusOr<chainsource::Tip> QueryTip(absl::Duration deadline) override;
  absl::StatusOr<chain::Hash32> SubmitTransaction(chain::ByteView tx_cbor,
                                                  absl::Duration deadline) override;
  absl::StatusOr<std::vector<chainsource::TxSighting>> ObserveTransactions(
      absl::Span<const chainsource::WatchedTx> txs, absl::Duration deadline) override;

 private:
  struct PendingTx {
    chain::Hash32 id{};
    std::vector<chain::TxIn> inputs;
    uint64_t ttl = 0;
  };

  mutable absl::Mutex mu_;
  uint64_t slot_ ABSL_GUARDED_BY(mu_);
  uint64_t height_ ABSL_GUARDED_BY(mu_) = 100;
  std::vector<PendingTx> mempool_ ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<PendingTx>> blocks_ ABSL_GUARDED_BY(mu_);  // applied, newest last
  std::set<chain::TxIn> spent_ ABSL_GUARDED_BY(mu_);
  bool refuse_next_ ABSL_GUARDED_BY(mu_) = false;
  bool wrong_ids_ ABSL_GUARDED_BY(mu_) = false;
  int submissions_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace stakeward::controller::testing

#endif  // STAKEWARD_TESTS_INTEGRATION_CONTROLLER_FAKE_CHAIN_H_
