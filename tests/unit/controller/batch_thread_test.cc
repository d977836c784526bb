// BatchThread (the witness committer and answerer): every item is worked on exactly once and in
// the order each producer added it, what arrives while a batch is worked on forms the next batch,
// stopping works off everything queued, and an item added after stopping is worked on by its
// caller rather than dropped.
#include "controller/daemon/batch_thread.h"

#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace stakeward::controller {
namespace {

struct Item {
  int producer = 0;
  int seq = 0;
};

std::unique_ptr<Item> Make(int producer, int seq) {
  auto it = std::make_unique<Item>();
  it->producer = producer;
  it->seq = seq;
  return it;
}

TEST(BatchThread, EveryItemOnceInEachProducersOrder) {
  absl::Mutex mu;
  std::map<int, std::vector<int>> seen;  // producer -> seqs in the order worked on
  BatchThread<Item> t([&](std::vector<std::unique_ptr<Item>> batch) {
    absl::MutexLock l(&mu);
    for (const auto& it : batch) seen[it->producer].push_back(it->seq);
  });
  constexpr int kProducers = 8;
  constexpr int kEach = 500;
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&t, p] {
      for (int i = 0; i < kEach; ++i) t.Add(Make(p, i));
    });
  }
  for (auto& p : producers) p.join();
  t.Stop();
  absl::MutexLock l(&mu);
  ASSERT_EQ(seen.size(), static_cast<size_t>(kProducers));
  for (const auto& [p, seqs] : seen) {
    ASSERT_EQ(seqs.size(), static_cast<size_t>(kEach)) << "producer " << p;
    for (int i = 0; i < kEach; ++i) EXPECT_EQ(seqs[i], i) << "producer " << p;
  }
}

TEST(BatchThread, WhatArrivesDuringABatchIsTheNextBatch) {
  absl::Notification first_started, release_first;
  absl::Mutex mu;
  std::vector<size_t> sizes;
  BatchThread<Item> t([&](std::vector<std::unique_ptr<Item>> batch) {
    {
      absl::MutexLock l(&mu);
      sizes.push_back(batch.size());
    }
    if (!first_started.HasBeenNotified()) {
      first_started.Notify();
      release_first.WaitForNotification();
    }
  });
  t.Add(Make(0, 0));
  first_started.WaitForNotification();
  for (int i = 1; i <= 5; ++i) t.Add(Make(0, i));  // the worker is held in the first batch
  release_first.Notify();
  t.Stop();
  absl::MutexLock l(&mu);
  EXPECT_EQ(sizes, (std::vector<size_t>{1, 5}));
}

TEST(BatchThread, StopWorksOffEverythingQueued) {
  absl::Notification started, release;
  int worked = 0;  // only the worker thread writes it before Stop returns
  BatchThread<Item> t([&](std::vector<std::unique_ptr<Item>> batch) {
    if (!started.HasBeenNotified()) {
      started.Notify();
      release.WaitForNotification();
    }
    worked += static_cast<int>(batch.size());
  });
  t.Add(Make(0, 0));
  started.WaitForNotification();
  for (int i = 1; i < 100; ++i) t.Add(Make(0, i));
  std::thread stopper([&t] { t.Stop(); });
  release.Notify();
  stopper.join();
  EXPECT_EQ(worked, 100);
}

TEST(BatchThread, AnItemAddedAfterStopIsWorkedOnByItsCaller) {
  std::thread::id worker;
  int worked = 0;
  BatchThread<Item> t([&](std::vector<std::unique_ptr<Item>> batch) {
    worker = std::this_thread::get_id();
    worked += static_cast<int>(batch.size());
  });
  t.Stop();
  t.Add(Make(0, 0));
  EXPECT_EQ(worked, 1);
  EXPECT_EQ(worker, std::this_thread::get_id());
  t.Stop();  // idempotent
}

}  // namespace
}  // namespace stakeward::controller
