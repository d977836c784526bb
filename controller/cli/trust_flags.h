// The --trust-dir flag and the signer's trust anchors (controller/client/trust_store.h), shared
// by the commands that verify the policy approval chain before anything reaches a device.
#ifndef STAKEWARD_CONTROLLER_CLI_TRUST_FLAGS_H_
#define STAKEWARD_CONTROLLER_CLI_TRUST_FLAGS_H_

#include <set>
#include <string>

#include "CLI/CLI.hpp"
#include "controller/cli/exit_codes.h"
#include "controller/client/api_client_flags.h"
#include "controller/client/trust_store.h"

namespace stakeward::cli {

inline void AddTrustFlag(CLI::App* cmd, std::string* dir) {
  cmd->add_option("--trust-dir", *dir,
                  "your trust store (default: $STAKEWARD_TRUST_DIR, else "
                  "~/.config/stakeward/trust/<signer>)");
}

inline controller::TrustStore OpenTrustStoreOrThrow(const std::string& dir_flag,
                                                    const std::string& signer) {
  absl::StatusOr<std::string> dir = controller::ResolveTrustDir(dir_flag, signer);
  if (!dir.ok()) ThrowStatus(dir.status());
  absl::StatusOr<controller::TrustStore> store = controller::TrustStore::Open(*dir);
  if (!store.ok()) ThrowStatus(store.status());
  return *store;
}

inline std::set<chain::Hash32> AnchorsOrThrow(const std::string& dir_flag,
                                              const std::string& signer) {
  return OpenTrustStoreOrThrow(dir_flag, signer).Hashes();
}

}  // namespace stakeward::cli

#endif  // STAKEWARD_CONTROLLER_CLI_TRUST_FLAGS_H_
