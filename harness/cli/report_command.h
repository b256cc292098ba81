#pragma once
// `mepsim report <command>`: what one does with a finished run's reports. The parent only
// groups its commands; each lives in a file of its own and registers itself under the
// parent add_report_command returns (`open`: report_open_command.h).

#include <CLI/CLI.hpp>

namespace mepsim {

// Registers `mepsim report`, which requires one of its commands; add them to the result.
CLI::App* add_report_command(CLI::App& app);

}  // namespace mepsim
