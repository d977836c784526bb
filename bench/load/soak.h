// A bounded soak of one controller over gRPC: N clients issue mixed RPCs (status, lists, reads,
// dry-run plans, witness submissions that carry proposals to READY, proposal re-creation) for a
// fixed time while the process's RSS, the error count and the latency percentiles are sampled per
// interval. Reported, not asserted: the figures go to bench/README.md.
#ifndef STAKEWARD_BENCH_LOAD_SOAK_H_
#define STAKEWARD_BENCH_LOAD_SOAK_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "proto/stakeward/v1/proposal.grpc.pb.h"

namespace stakeward::bench {

// One witness submission, prepared before the clock starts, and the role that sends it.
struct WitnessJob {
  std::string role;
  v1::SubmitWitnessesRequest request;
};

struct SoakOptions {
  int clients = 50;
  int seconds = 600;
  int sample_seconds = 30;
  int warmup_seconds = 60;  // RSS growth is measured from the first sample after this
};

// Builds the witness jobs of a freshly created proposal (every required key of every signer).
using MakeJobs = std::function<std::vector<WitnessJob>(const v1::Proposal&)>;

// Runs the soak and prints one row per interval and a summary; returns the number of failed
// RPCs (0 is the goal) or -1 when the soak could not start.
int RunSoak(const std::shared_ptr<grpc::Channel>& ch, const SoakOptions& opt,
            const MakeJobs& make_jobs);

}  // namespace stakeward::bench

#endif  // STAKEWARD_BENCH_LOAD_SOAK_H_
