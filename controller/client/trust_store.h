// A signer's local trust store: the policy hashes this signer approved (`stakeward policy sign`
// records them) or explicitly trusted (`stakeward policy trust FILE|HASH`). They are the anchors
// from which the signer's CLI verifies the controller's chain of policy approvals
// (policy/approval_chain.h). One JSON file, `anchors.json`, in a directory per signer:
// --trust-dir, else $STAKEWARD_TRUST_DIR, else $XDG_CONFIG_HOME/stakeward/trust/<signer>, else
// ~/.config/stakeward/trust/<signer>. Written atomically (temporary file, fsync, rename).
#ifndef STAKEWARD_CONTROLLER_CLIENT_TRUST_STORE_H_
#define STAKEWARD_CONTROLLER_CLIENT_TRUST_STORE_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/bytes.h"

namespace stakeward::controller {

struct TrustAnchor {
  chain::Hash32 hash{};
  std::string note;      // "signed v3", "trusted file policy.yaml", "trusted hash"
  std::string recorded;  // UTC time, ISO 8601
};

class TrustStore {
 public:
  // Reads `<dir>/anchors.json` when it exists (an absent file is an empty store). A malformed
  // file is INVALID_ARGUMENT: the signer must look at it, never silently lose anchors.
  static absl::StatusOr<TrustStore> Open(const std::string& dir);

  const std::vector<TrustAnchor>& anchors() const { return anchors_; }
  std::set<chain::Hash32> Hashes() const;
  const std::string& path() const { return path_; }
  // Adds an anchor (a no-op for a hash already present) and writes the file.
  absl::Status Add(const chain::Hash32& hash, const std::string& note);

 private:
  std::string dir_, path_;
  std::vector<TrustAnchor> anchors_;
};

// The directory to use: `flag` when set, else the environment and config-directory defaults.
// `signer` may be empty (then "default").
absl::StatusOr<std::string> ResolveTrustDir(const std::string& flag, const std::string& signer);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_CLIENT_TRUST_STORE_H_
