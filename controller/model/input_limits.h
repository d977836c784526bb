// One table of the input limits the CLI and the daemon apply to files before reading them, so a
// mistaken path (/dev/zero, a log, a disk image) is refused with a clear error instead of being
// read into memory. The parsers keep their own, equal or larger, limits on the bytes they get.
#ifndef STAKEWARD_CONTROLLER_MODEL_INPUT_LIMITS_H_
#define STAKEWARD_CONTROLLER_MODEL_INPUT_LIMITS_H_

#include <cstddef>

namespace stakeward::controller {

enum class InputKind {
  kPolicy,       // policy YAML (policy_yaml.cc refuses above 4 MiB as well)
  kSnapshot,     // snapshot JSON: 3,000 pools are ~3 MB; 100,000 pools ~100 MB
  kTransaction,  // a TextEnvelope or CBOR transaction (the decoder's limit is 1 MiB)
  kApprovals,    // approval / witness JSON files
  kPem,          // TLS certificates and keys
  kConfig,       // stakewardd's YAML configuration
  kTrustStore,   // a signer's anchors.json
  kAuditExport,  // an exported audit log
  kTextList,     // small text files (pool groups, address lists)
};

struct InputLimit {
  const char* what;  // for messages: "policy document"
  size_t max_bytes;
};

// The limit for `kind`.
InputLimit LimitOf(InputKind kind);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_MODEL_INPUT_LIMITS_H_
