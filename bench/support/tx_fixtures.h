// Transactions the codec benchmarks decode, built with chain/ (no vectors needed): a large
// delegation transaction (50 certificates, 50 withdrawals, 10 outputs, 2 native scripts, 3
// witnesses; about 5.6 kB) and a small one of the shape a one-pool re-delegation proposal has.
#ifndef STAKEWARD_BENCH_SUPPORT_TX_FIXTURES_H_
#define STAKEWARD_BENCH_SUPPORT_TX_FIXTURES_H_

#include "chain/tx.h"

namespace stakeward::bench {

chain::Transaction BigTransaction();
chain::Transaction SmallTransaction();

}  // namespace stakeward::bench

#endif  // STAKEWARD_BENCH_SUPPORT_TX_FIXTURES_H_
