// Small exact-JSON readers shared by the Ogmios and Koios decoders. Documents are parsed with
// policy::json::ParseExact, so every number arrives as its decimal text and never passes through
// a double. Every error is INVALID_ARGUMENT naming the field path.
#ifndef STAKEWARD_CHAINSOURCE_JSON_READ_H_
#define STAKEWARD_CHAINSOURCE_JSON_READ_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chain/address.h"
#include "chain/bytes.h"
#include "policy/json_exact.h"
#include "policy/ratio.h"

namespace stakeward::chainsource {

using Json = policy::json::Json;

absl::Status Malformed(absl::string_view what, absl::string_view problem);

// Required member of an object; INVALID_ARGUMENT when `obj` is not an object or lacks `key`.
absl::StatusOr<const Json*> Member(const Json& obj, absl::string_view key, absl::string_view what);
// Optional member: nullptr when absent or null.
const Json* OptMember(const Json& obj, absl::string_view key);

absl::StatusOr<uint64_t> ReadU64(const Json& j, absl::string_view what);
absl::StatusOr<uint32_t> ReadU32(const Json& j, absl::string_view what);
absl::StatusOr<int64_t> ReadI64(const Json& j, absl::string_view what);
absl::StatusOr<std::string> ReadStr(const Json& j, absl::string_view what);
absl::StatusOr<policy::Ratio> ReadRatio(const Json& j, absl::string_view what);
absl::StatusOr<chain::Hash32> ReadHash32(const Json& j, absl::string_view what);
absl::StatusOr<chain::Hash28> ReadHash28(const Json& j, absl::string_view what);
absl::StatusOr<chain::Hash28> ReadPoolId(const Json& j, absl::string_view what);

// Canonical relay text shared by every source: "host:port", "host" (no port), "1.2.3.4:3001",
// "[::1]:3001", "1.2.3.4/[::1]:3001" (both addresses), "srv:_name._tcp.example".
std::string RelayText(absl::string_view ipv4, absl::string_view ipv6, absl::string_view dns,
                      absl::string_view srv, std::optional<uint64_t> port);
// Converts a relay kept by policy/cli_import.h (the compact cardano-cli JSON object) to the
// canonical text above; other text is returned unchanged.
std::string CanonicalCliRelay(const std::string& relay);

}  // namespace stakeward::chainsource

#endif  // STAKEWARD_CHAINSOURCE_JSON_READ_H_
