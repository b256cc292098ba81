#include "harness/rehearsal/shell_setup.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>

#include "sim/process/child_process.h"

namespace mepsim {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

// bash reads ~/.bashrc, which usually sets PS1 (and may change PATH): the rehearsal's
// prompt and PATH come after it.
Result<std::filesystem::path> write_bash_rc(const ShellSetup& setup,
                                            const std::string& path_value) {
  const auto rc = setup.workdir / "mepsim.bashrc";
  std::ofstream out(rc, std::ios::trunc);
  out << "# mepsim shell: the user's bash setup, then the rehearsal's PATH and prompt.\n"
      << "if [ -f \"$HOME/.bashrc\" ]; then . \"$HOME/.bashrc\"; fi\n"
      << "export PATH=" << shell_quote(path_value) << "\n"
      << "PS1=\"(mepsim) ${PS1-\\$ }\"\n";
  out.close();
  if (!out) return make_error(ErrorCode::invalid_input, "cannot write " + rc.string());
  return rc;
}

}  // namespace

Result<AttachedShell> prepare_shell(const ShellSetup& setup) {
  AttachedShell shell;
  auto program = find_program(setup.shell);
  if (!program) return program.error().context("$SHELL");
  shell.program = std::filesystem::absolute(program.value());
  shell.working_dir = setup.clone_dir;
  shell.env = setup.topology_env;
  const std::string path_value =
      setup.mepsim_dir.string() + ":" + env_or("PATH", "/usr/local/bin:/usr/bin:/bin");
  shell.env.emplace_back("PATH", path_value);
  for (const char* role : {"AUTHOR", "COMMITTER"}) {
    shell.env.emplace_back(fmt::format("GIT_{}_NAME", role), setup.user.username);
    shell.env.emplace_back(fmt::format("GIT_{}_EMAIL", role), setup.user.email);
  }
  shell.env.emplace_back("PS1", "(mepsim) " + env_or("PS1", "\\$ "));
  if (setup.command) {
    shell.args = {"-c", *setup.command};
  } else if (shell.program.filename() == "bash") {
    auto rc = write_bash_rc(setup, path_value);
    if (!rc) return rc.error();
    shell.args = {"--rcfile", rc->string(), "-i"};
  } else {
    shell.args = {"-i"};
  }
  return shell;
}

Result<std::filesystem::path> mepsim_folder() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) {
    return make_error(ErrorCode::not_found,
                      "cannot tell where mepsim runs from (/proc/self/exe: " + ec.message() + ")");
  }
  return self.parent_path();
}

}  // namespace mepsim
