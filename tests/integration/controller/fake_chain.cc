#include "tests/integration/controller/fake_chain.h"

#include "absl/strings/str_cat.h"

namespace stakeward::controller::testing {

void FakeChain::MineBlock() {
  absl::MutexLock l(&mu_);
  ++height_;
  slot_ += 20;
  std::vector<PendingTx> block;
  for (PendingTx& t : mempool_) {
    bool valid = slot_ < t.ttl;  // valid before its TTL slot only
    for (const chain::TxIn& in : t.inputs) valid = valid && spent_.count(in) == 0;
    if (!valid) continue;
    for (const chain::TxIn& in : t.inputs) spent_.insert(in);
    block.push_back(std::move(t));
  }
  mempool_.clear();
  blocks_.push_back(std::move(block));
}

void FakeChain::Rollback() {
  absl::MutexLock l(&mu_);
  if (blocks_.empty()) return;
  for (const PendingTx& t : blocks_.back()) {
    for (const chain::TxIn& in : t.inputs) spent_.erase(in);
  }
  blocks_.pop_back();
  --height_;
}

void FakeChain::AdvanceSlots(uint64_t n) {
  absl::MutexLock l(&mu_);
  slot_ += n;
}

void FakeChain::RefuseNextAsUnknownInput() {
  absl::MutexLock l(&mu_);
  refuse_next_ = true;
}

void FakeChain::AnswerWithWrongIds() {
  absl::MutexLock l(&mu_);
  wrong_ids_ = true;
}

int FakeChain::submissions() const {
  absl::MutexLock l(&mu_);
  return submissions_;
}

bool FakeChain::Applied(const chain::Hash32& id) const {
  absl::MutexLock l(&mu_);
  for (const auto& b : blocks_) {
    for (const PendingTx& t : b) {
      if (t.id == id) return true;
    }
  }
  return false;
}

absl::StatusOr<chainsource::Tip> FakeChain::QueryTip(absl::Duration) {
  absl::MutexLock l(&mu_);
  chainsource::Tip tip;
  tip.slot = slot_;
  tip.height = height_;
  tip.hash.fill(static_cast<uint8_t>(height_));
  return tip;
}

absl::StatusOr<chain::Hash32> FakeChain::SubmitTransaction(chain::ByteView tx_cbor,
                                                           absl::Duration) {
  absl::StatusOr<chain::Transaction> tx = chain::DecodeTransaction(tx_cbor);
  if (!tx.ok()) return absl::InvalidArgumentError("the transaction does not decode");
  absl::MutexLock l(&mu_);
  ++submissions_;
  bool unknown_input = refuse_next_;
  refuse_next_ = false;
  for (const chain::TxIn& in : tx->body.inputs) unknown_input = unknown_input || spent_.count(in);
  if (unknown_input) {
    // The sentence Ogmios's error 3117 leads to (chainsource/ogmios_errors.cc).
    return absl::FailedPreconditionError(
        "submitTransaction refused (3117): an input is unknown or already spent; take a fresh "
        "snapshot and plan again");
  }
  mempool_.push_back({chain::TxId(*tx), tx->body.inputs, tx->body.ttl.value_or(UINT64_MAX)});
  return chain::TxId(*tx);
}

absl::StatusOr<std::vector<chainsource::TxSighting>> FakeChain::ObserveTransactions(
    absl::Span<const chainsource::WatchedTx> txs, absl::Duration) {
  std::vector<chainsource::TxSighting> out;
  for (const chainsource::WatchedTx& w : txs) {
    const bool on = Applied(w.id);
    absl::MutexLock l(&mu_);
    bool unspent = !w.inputs.empty();
    for (const chain::TxIn& in : w.inputs) unspent = unspent && spent_.count(in) == 0;
    chain::Hash32 id = w.id;
    if (wrong_ids_) id[0] ^= 0xff;
    out.push_back({id, on, std::nullopt, unspent});
  }
  return out;
}

}  // namespace stakeward::controller::testing
