// Reading a whole input file, bounded by the input-limits table before any byte is read.
#ifndef STAKEWARD_CONTROLLER_MODEL_BOUNDED_READ_H_
#define STAKEWARD_CONTROLLER_MODEL_BOUNDED_READ_H_

#include <string>

#include "absl/status/statusor.h"
#include "controller/model/input_limits.h"

namespace stakeward::controller {

// The contents of the regular file at `path`. INVALID_ARGUMENT when it is not a regular file
// (a directory, /dev/zero, a FIFO) or is larger than the limit for `kind`; NOT_FOUND when it
// does not exist; the file is read with one bounded loop, so a file that grows while being read
// is refused too.
absl::StatusOr<std::string> ReadBoundedFile(const std::string& path, InputKind kind);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_MODEL_BOUNDED_READ_H_
