#pragma once
// Command lines written in scenario steps (`git: merge develop --no-edit`,
// `scalingo: -a histologe env-set "A=b c"`) split into arguments the way a POSIX shell
// would, without expansions: whitespace separates, single quotes keep everything, double
// quotes keep everything but `\"`, `\\`, `\$`, `` \` ``, and a backslash outside quotes
// keeps the next character.

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"

namespace mepsim::scenario {

// invalid_input on an unterminated quote or a trailing lone backslash.
Result<std::vector<std::string>> split_shell_words(std::string_view text);

}  // namespace mepsim::scenario
