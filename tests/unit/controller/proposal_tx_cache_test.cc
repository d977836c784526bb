// The decoded-transaction cache behind LoadProposal: served only while the stored rows carry the
// same transaction ids at the same positions, so rows replaced behind it are read afresh.
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "chain/tx.h"
#include "controller/store/proposal_store.h"
#include "controller/store/schema.h"
#include "controller/store/sqlite_db.h"
#include "gtest/gtest.h"

namespace stakeward::controller {
namespace {

ProposalTxRec MakeTx(uint32_t idx, uint64_t fee) {
  chain::TxBody body;
  chain::TxIn in;
  in.tx_id.fill(static_cast<uint8_t>(0x10 + idx));
  body.inputs.push_back(in);
  chain::TxOut out;
  out.address = chain::Bytes(29, 0x11);
  out.address[0] = 0x61;  // enterprise, key hash, mainnet
  out.coin = chain::Lovelace(2'000'000);
  body.outputs.push_back(out);
  body.fee = chain::Lovelace(fee);
  body.ttl = 1000;
  const chain::Transaction tx = chain::MakeTransaction(std::move(body), {}, std::nullopt);
  ProposalTxRec t;
  t.idx = idx;
  t.unsigned_tx = chain::EncodeTransaction(tx);
  t.tx_id = chain::TxId(tx);
  t.fee = chain::Lovelace(fee);
  t.inputs = tx.body.inputs;
  return t;
}

TEST(ProposalTxCacheTest, ServedOnlyWhileTheStoredIdsMatch) {
  const std::string path =
      ::testing::TempDir() + "/sw_txcache_" + std::to_string(::getpid()) + ".db";
  std::filesystem::remove(path);
  absl::StatusOr<std::unique_ptr<Db>> db = Db::Open(path);
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE(MigrateSchema(**db).ok());
  // The proposal's policy and snapshot rows do not matter here.
  ASSERT_TRUE((*db)->Exec("PRAGMA foreign_keys=OFF").ok());
  ProposalRec p;
  p.id = "prop-0123456789abcdef";
  p.threshold = 1;
  p.txs = {MakeTx(0, 170'000), MakeTx(1, 180'000)};
  ASSERT_TRUE(InsertProposal(**db, p).ok());

  ProposalTxCache cache;
  absl::StatusOr<ProposalRec> first = LoadProposal(**db, p.id, true, &cache);
  ASSERT_TRUE(first.ok()) << first.status();
  const auto entry = cache.Find(p.id);
  ASSERT_NE(entry, nullptr);
  ASSERT_EQ(entry->size(), 2u);
  EXPECT_EQ((*entry)[1].fee, chain::Lovelace(180'000));

  // Unchanged rows: the same entry serves, with the same content as a load without the cache.
  absl::StatusOr<ProposalRec> again = LoadProposal(**db, p.id, true, &cache);
  absl::StatusOr<ProposalRec> plain = LoadProposal(**db, p.id, true, nullptr);
  ASSERT_TRUE(again.ok() && plain.ok());
  EXPECT_EQ(cache.Find(p.id), entry);
  ASSERT_EQ(again->txs.size(), plain->txs.size());
  for (size_t i = 0; i < plain->txs.size(); ++i) {
    EXPECT_EQ(again->txs[i].unsigned_tx, plain->txs[i].unsigned_tx);
    EXPECT_EQ(again->txs[i].fee, plain->txs[i].fee);
    EXPECT_EQ(again->txs[i].inputs.size(), plain->txs[i].inputs.size());
  }

  // The second row replaced behind the cache (another transaction at the same position): the
  // stored truth is read and the entry replaced.
  const ProposalTxRec other = MakeTx(1, 1);
  absl::StatusOr<Stmt> u =
      (*db)->Prepare("UPDATE proposal_txs SET unsigned_tx = ?, tx_id = ?, fee = ? WHERE idx = 1");
  ASSERT_TRUE(u.ok());
  u->BindBlob(1, chain::View(other.unsigned_tx)).BindBlob(2, chain::View(other.tx_id));
  ASSERT_TRUE(u->Bind(3, int64_t{1}).Run().ok());
  absl::StatusOr<ProposalRec> after = LoadProposal(**db, p.id, true, &cache);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->txs[1].fee, chain::Lovelace(1));
  EXPECT_EQ(after->txs[1].tx_id, other.tx_id);
  EXPECT_NE(cache.Find(p.id), entry);

  // A row removed: one transaction fewer is read, not the cached two.
  ASSERT_TRUE((*db)->Exec("DELETE FROM proposal_txs WHERE idx = 1").ok());
  absl::StatusOr<ProposalRec> fewer = LoadProposal(**db, p.id, true, &cache);
  ASSERT_TRUE(fewer.ok()) << fewer.status();
  EXPECT_EQ(fewer->txs.size(), 1u);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace stakeward::controller
