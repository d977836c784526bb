// Exact JSON reading for untrusted chain data. nlohmann::json would turn 0.3 or 2^70 into a binary
// floating-point value; instead every number token is turned into a string before parsing, and the
// accessors below parse those strings exactly (integers as uint64, fractions as Ratio).
#ifndef STAKEWARD_POLICY_JSON_EXACT_H_
#define STAKEWARD_POLICY_JSON_EXACT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "policy/ratio.h"

namespace stakeward::policy::json {

using Json = nlohmann::json;

inline constexpr size_t kMaxJsonBytes = 256u << 20;

// Parses JSON text with every number kept as its decimal text (a JSON string). Errors (syntax,
// oversize, nesting deeper than 64) are INVALID_ARGUMENT naming `what`.
absl::StatusOr<Json> ParseExact(absl::string_view text, absl::string_view what);

// The readers below on the text of a number token or string (shared with json_doc.h): uint64
// exactly (negative and fractional values refused), a non-negative Ratio.
absl::StatusOr<uint64_t> U64OfText(absl::string_view s, absl::string_view what);
absl::StatusOr<Ratio> RatioOfText(absl::string_view s, absl::string_view what);
// At most 64 bytes of `s`, cut on a UTF-8 boundary (error text must stay valid UTF-8).
std::string Shortened(absl::string_view s);

// Reads a number (a quoted number token or a string holding digits) as uint64.
absl::StatusOr<uint64_t> U64(const Json& j, absl::string_view what);
// As above, for an optional object member: `fallback` when absent or null.
absl::StatusOr<uint64_t> U64Or(const Json& obj, absl::string_view key, uint64_t fallback,
                               absl::string_view what);
// Required member: INVALID_ARGUMENT "<what>.<key> is missing" when absent.
absl::StatusOr<uint64_t> U64At(const Json& obj, absl::string_view key, absl::string_view what);
absl::StatusOr<Ratio> RatioOf(const Json& j, absl::string_view what);
absl::StatusOr<std::string> Str(const Json& j, absl::string_view what);
absl::StatusOr<std::string> StrAt(const Json& obj, absl::string_view key, absl::string_view what);
// Member lookup that tolerates several historical spellings; nullptr when none is present.
const Json* Find(const Json& obj, std::initializer_list<absl::string_view> keys);

}  // namespace stakeward::policy::json

#endif  // STAKEWARD_POLICY_JSON_EXACT_H_
