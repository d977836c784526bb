#include "policy/json_exact.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace stakeward::policy::json {
namespace {

bool IsNumberChar(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Wraps every number token outside strings in quotes. Also measures nesting depth.
absl::StatusOr<std::string> QuoteNumbers(absl::string_view in, absl::string_view what) {
  std::string out;
  out.reserve(in.size() + in.size() / 4);
  bool in_string = false;
  int depth = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < in.size()) {
        out.push_back(in[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out.push_back(c);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t j = i;
      while (j < in.size() && IsNumberChar(in[j])) ++j;
      out.push_back('"');
      out.append(in.data() + i, j - i);
      out.push_back('"');
      i = j - 1;
    } else {
      if (c == '{' || c == '[') {
        if (++depth > 64)
          return absl::InvalidArgumentError(absl::StrCat(what, ": JSON nested too deeply"));
      } else if (c == '}' || c == ']') {
        --depth;
      }
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string Shortened(absl::string_view s) {
  size_t n = std::min<size_t>(s.size(), 64);
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

absl::StatusOr<uint64_t> U64OfText(absl::string_view s, absl::string_view what) {
  if (!s.empty() && s[0] == '-') {
    return absl::InvalidArgumentError(absl::StrCat(what, ": negative amount ", s.substr(0, 32)));
  }
  // Plain digits that fit: the common case, read directly.
  if (!s.empty() && s.size() <= 19) {
    uint64_t v = 0;
    size_t i = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      v = v * 10 + static_cast<uint64_t>(s[i] - '0');
    }
    if (i == s.size()) return v;
  }
  // Otherwise exactly as a ratio: integral decimals such as 1e6 are accepted, fractions refused.
  auto r = ParseRatio(s, what);
  if (!r.ok()) return r.status();
  if (r->den != 1)
    return absl::InvalidArgumentError(absl::StrCat(what, ": expected an integer, got ", s));
  return r->num;
}

absl::StatusOr<Ratio> RatioOfText(absl::string_view s, absl::string_view what) {
  if (!s.empty() && s[0] == '-') {
    return absl::InvalidArgumentError(absl::StrCat(what, ": negative value"));
  }
  return ParseRatio(s, what);
}

absl::StatusOr<Json> ParseExact(absl::string_view text, absl::string_view what) {
  if (text.size() > kMaxJsonBytes) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": JSON input too large"));
  }
  auto quoted = QuoteNumbers(text, what);
  if (!quoted.ok()) return quoted.status();
  // Duplicate keys are refused: nlohmann keeps the last, another reader the first, and the two
  // would then disagree about the same document.
  std::vector<std::set<std::string>> keys;  // one set per open object
  std::optional<std::string> duplicate;
  auto on_event = [&](int, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        keys.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!keys.empty()) keys.pop_back();
        break;
      case Json::parse_event_t::key:
        if (!keys.empty() && !keys.back().insert(parsed.get<std::string>()).second &&
            !duplicate.has_value()) {
          duplicate = Shortened(parsed.get<std::string>());
        }
        break;
      default:
        break;
    }
    return true;
  };
  Json j = Json::parse(*quoted, on_event, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": not valid JSON"));
  }
  if (duplicate.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": the key \"", *duplicate, "\" appears twice in one object"));
  }
  return j;
}

absl::StatusOr<uint64_t> U64(const Json& j, absl::string_view what) {
  if (!j.is_string()) return absl::InvalidArgumentError(absl::StrCat(what, ": expected a number"));
  return U64OfText(j.get_ref<const std::string&>(), what);
}

absl::StatusOr<uint64_t> U64Or(const Json& obj, absl::string_view key, uint64_t fallback,
                               absl::string_view what) {
  auto it = obj.find(std::string(key));
  if (it == obj.end() || it->is_null()) return fallback;
  return U64(*it, absl::StrCat(what, ".", key));
}

absl::StatusOr<uint64_t> U64At(const Json& obj, absl::string_view key, absl::string_view what) {
  auto it = obj.find(std::string(key));
  if (it == obj.end() || it->is_null()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ".", key, " is missing"));
  }
  return U64(*it, absl::StrCat(what, ".", key));
}

absl::StatusOr<Ratio> RatioOf(const Json& j, absl::string_view what) {
  if (!j.is_string()) return absl::InvalidArgumentError(absl::StrCat(what, ": expected a number"));
  return RatioOfText(j.get_ref<const std::string&>(), what);
}

absl::StatusOr<std::string> Str(const Json& j, absl::string_view what) {
  if (!j.is_string()) return absl::InvalidArgumentError(absl::StrCat(what, ": expected a string"));
  return j.get<std::string>();
}

absl::StatusOr<std::string> StrAt(const Json& obj, absl::string_view key, absl::string_view what) {
  auto it = obj.find(std::string(key));
  if (it == obj.end() || it->is_null()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ".", key, " is missing"));
  }
  return Str(*it, absl::StrCat(what, ".", key));
}

const Json* Find(const Json& obj, std::initializer_list<absl::string_view> keys) {
  if (!obj.is_object()) return nullptr;
  for (auto k : keys) {
    auto it = obj.find(std::string(k));
    if (it != obj.end()) return &*it;
  }
  return nullptr;
}

}  // namespace stakeward::policy::json
