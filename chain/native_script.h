// Native scripts (sig, all, any, atLeast, before, after), their CBOR and blake2b-224 hash
// (prefix 0x00), and evaluation against a set of signers and a validity interval.
#ifndef STAKEWARD_CHAIN_NATIVE_SCRIPT_H_
#define STAKEWARD_CHAIN_NATIVE_SCRIPT_H_

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "chain/bytes.h"
#include "chain/cbor.h"

namespace stakeward::chain {

struct NativeScript {
  enum class Type : uint8_t {
    kSig = 0,
    kAll = 1,
    kAny = 2,
    kAtLeast = 3,
    kInvalidBefore = 4,     // "after": valid from slot (inclusive)
    kInvalidHereafter = 5,  // "before": valid until slot (exclusive)
  };
  Type type = Type::kSig;
  Hash28 key_hash{};                  // kSig
  uint64_t required = 0;              // kAtLeast
  uint64_t slot = 0;                  // kInvalidBefore / kInvalidHereafter
  std::vector<NativeScript> scripts;  // kAll / kAny / kAtLeast

  static NativeScript Sig(const Hash28& key_hash);
  static NativeScript AtLeast(uint64_t n, std::vector<NativeScript> scripts);
  static NativeScript All(std::vector<NativeScript> scripts);
  static NativeScript Any(std::vector<NativeScript> scripts);

  bool operator==(const NativeScript&) const = default;
};

Bytes EncodeNativeScript(const NativeScript& script);
void WriteNativeScript(cbor::Writer& w, const NativeScript& script);
absl::StatusOr<NativeScript> DecodeNativeScript(ByteView cbor);
absl::StatusOr<NativeScript> NativeScriptFromItem(const cbor::Item& item);
// blake2b-224(0x00 || CBOR).
Hash28 NativeScriptHash(const NativeScript& script);

// True when the signatures of `signers` (key hashes) and the tx validity interval
// [validity_start, ttl) satisfy the script, as the ledger evaluates it.
bool NativeScriptSatisfied(const NativeScript& script, const std::set<Hash28>& signers,
                           std::optional<uint64_t> validity_start, std::optional<uint64_t> ttl);
// The same with the signers as a sorted vector (the readiness check runs on every witness
// submission; no tree to build).
bool NativeScriptSatisfiedSorted(const NativeScript& script,
                                 absl::Span<const Hash28> sorted_signers,
                                 std::optional<uint64_t> validity_start,
                                 std::optional<uint64_t> ttl);

// Every key hash the script mentions (sig leaves), in order of appearance, without duplicates.
std::vector<Hash28> NativeScriptKeyHashes(const NativeScript& script);

}  // namespace stakeward::chain

#endif  // STAKEWARD_CHAIN_NATIVE_SCRIPT_H_
