// Helpers shared by the device integration tests: start a mock with flags, build the DAO's
// multisig delegation transaction for a seed, derive expected keys with chain (independent of
// the device code under test).
#ifndef STAKEWARD_TESTS_INTEGRATION_DEVICES_DEVICE_TEST_UTIL_H_
#define STAKEWARD_TESTS_INTEGRATION_DEVICES_DEVICE_TEST_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "chain/evm.h"
#include "chain/keys.h"
#include "chain/tx.h"
#include "devices/signer/signer.h"
#include "tests/integration/devices/mock_process.h"

namespace stakeward::devices::testing {

inline constexpr char kSpeculosSeed[] =
    "glory promote mansion idle axis finger extra february uncover one trip resource lawn turtle "
    "enact monster seven myth punch hobby comfort wild raise skin";
inline constexpr char kTrezorSeed[] = "all all all all all all all all all all all all";

// Starts `executable` with free ports plus `flags`; returns the first device URI of `scheme`.
// NOT_FOUND if the executable is not built.
absl::StatusOr<std::string> StartMock(MockProcess& mock, const std::string& executable,
                                      const std::vector<std::string>& flags,
                                      const std::string& scheme);

chain::Path P(const std::string& s);
inline bool HasText(absl::string_view haystack, absl::string_view needle) {
  return haystack.find(needle) != absl::string_view::npos;
}

chain::XPub CardanoKey(const std::string& mnemonic, const std::string& passphrase,
                       chain::Derivation derivation, const std::string& path);
chain::evm::Address EthAddress(const std::string& mnemonic, const std::string& passphrase,
                               const std::string& path);

std::vector<chain::Path> MultisigPaths();  // m/1854'/1815'/0'/0/0 and .../2/0
CardanoNetwork Testnet();

// The DAO layout: 1-of-1 scripts on the seed's 1854' payment and stake keys, a registration, a
// delegation, a vote delegation and `extra_delegations` more delegations, TTL and an aux hash.
chain::Transaction MultisigDelegationTx(const std::string& mnemonic, chain::Derivation derivation,
                                        const std::string& passphrase = "",
                                        int extra_delegations = 0, bool withdrawal = false);

}  // namespace stakeward::devices::testing

#endif  // STAKEWARD_TESTS_INTEGRATION_DEVICES_DEVICE_TEST_UTIL_H_
