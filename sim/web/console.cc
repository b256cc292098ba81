#include "sim/web/console.h"

#include <fmt/format.h>

namespace mepsim::web {

int run_console(const std::vector<std::string>& args) {
  fmt::print(stderr, "mepsim-web console: unknown command \"{}\"\n",
             args.empty() ? std::string() : args.front());
  return 2;
}

}  // namespace mepsim::web
