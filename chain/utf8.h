// UTF-8 validation for text that crosses a trust boundary (CBOR text strings, policy YAML):
// invalid text stored once breaks every client that decodes it later.
#ifndef STAKEWARD_CHAIN_UTF8_H_
#define STAKEWARD_CHAIN_UTF8_H_

#include <string_view>

namespace stakeward::chain {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text);

}  // namespace stakeward::chain

#endif  // STAKEWARD_CHAIN_UTF8_H_
