// Unit tests of harness/env/env_file.h: values quoted so a shell reads them back as they
// were, and the env file written atomically, mode 0600, in folders it creates.

#include "harness/env/env_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace mepsim {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the system temp dir, removed with everything in it at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "mepsim_env_file_test.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << pattern;
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct stat stat_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st;
}

std::vector<std::string> names_in(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

// What bash prints for $key after `set -a; . file`.
std::string bash_reads(const fs::path& file, const std::string& key) {
  const std::string command =
      "bash -c 'set -a; . \"$0\"; printf %s \"$" + key + "\"' '" + file.string() + "'";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen failed: " << command;
    return {};
  }
  std::string out;
  std::array<char, 256> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << command;
  return out;
}

TEST(ShellQuote, SafeValuesStayBare) {
  // Values made only of safe characters are written as they are.
  EXPECT_EQ(shell_quote("abc123"), "abc123");
  EXPECT_EQ(shell_quote("mysql://app:secret@127.0.0.1:3306/shop"),
            "mysql://app:secret@127.0.0.1:3306/shop");
  EXPECT_EQ(shell_quote("a-b_c.d/e+f=g,h%i"), "a-b_c.d/e+f=g,h%i");
}

TEST(ShellQuote, UnsafeValuesGetSingleQuotes) {
  // Values with spaces, shell syntax or an empty value are wrapped in single quotes.
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
  EXPECT_EQ(shell_quote("`id`"), "'`id`'");
  EXPECT_EQ(shell_quote("a;b"), "'a;b'");
  EXPECT_EQ(shell_quote("\"x\""), "'\"x\"'");
  EXPECT_EQ(shell_quote("~"), "'~'");
  EXPECT_EQ(shell_quote("line\nbreak"), "'line\nbreak'");
}

TEST(ShellQuote, EmbeddedSingleQuoteIsEscaped) {
  // A single quote inside the value closes, escapes and reopens the quoting: 'it'\''s'.
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("'"), "''\\'''");
}

TEST(EnvFile, WritesKeyValueLines) {
  // The file holds one KEY=value line per entry, in order, values shell-quoted.
  const TempDir dir;
  const fs::path file = dir.path() / "mepsim.env";
  const EnvEntries entries = {
      {"DATABASE_URL", "mysql://app:pw@127.0.0.1:3306/shop"},
      {"GREETING", "hello world"},
      {"EMPTY", ""},
  };
  const Result<void> written = write_env_file(file, entries);
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(read_file(file),
            "DATABASE_URL=mysql://app:pw@127.0.0.1:3306/shop\n"
            "GREETING='hello world'\n"
            "EMPTY=''\n");
}

TEST(EnvFile, EmptyEntriesGiveEmptyFile) {
  // No entries give an empty, existing file.
  const TempDir dir;
  const fs::path file = dir.path() / "empty.env";
  const Result<void> written = write_env_file(file, {});
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_TRUE(fs::exists(file));
  EXPECT_EQ(read_file(file), "");
}

TEST(EnvFile, CreatesParentFolders) {
  // Missing parent folders are created.
  const TempDir dir;
  const fs::path file = dir.path() / "a" / "b" / "c" / "mepsim.env";
  const Result<void> written = write_env_file(file, {{"K", "v"}});
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(read_file(file), "K=v\n");
}

TEST(EnvFile, ModeIs0600) {
  // The file holds passwords: only its owner may read or write it.
  const TempDir dir;
  const fs::path file = dir.path() / "mepsim.env";
  const Result<void> written = write_env_file(file, {{"PASSWORD", "secret"}});
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(stat_of(file).st_mode & 0777u, 0600u);
}

TEST(EnvFile, ReplacesExistingFileAtomically) {
  // Writing over an existing file swaps in a new file (a new inode, via rename), with
  // mode 0600 even if the old file was wider, and leaves no temporary file behind.
  const TempDir dir;
  const fs::path file = dir.path() / "mepsim.env";
  {
    std::ofstream old(file);
    old << "OLD=1\nSTALE=line\n";
  }
  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  const ino_t old_inode = stat_of(file).st_ino;

  const Result<void> written = write_env_file(file, {{"NEW", "2"}});
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(read_file(file), "NEW=2\n");
  const struct stat st = stat_of(file);
  EXPECT_NE(st.st_ino, old_inode);
  EXPECT_EQ(st.st_mode & 0777u, 0600u);
  EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"mepsim.env"}));

  // A second rewrite also leaves exactly one file.
  const Result<void> again = write_env_file(file, {{"NEWER", "3"}});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(read_file(file), "NEWER=3\n");
  EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"mepsim.env"}));
}

TEST(EnvFile, FailsWhenFolderCannotBeCreated) {
  // A parent path that is a regular file gives an internal error, and nothing is written.
  const TempDir dir;
  const fs::path blocker = dir.path() / "blocker";
  {
    std::ofstream out(blocker);
    out << "not a folder";
  }
  const Result<void> written = write_env_file(blocker / "sub" / "mepsim.env", {{"K", "v"}});
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, ErrorCode::internal);
  EXPECT_NE(written.error().message.find("blocker"), std::string::npos) << written.error().message;
  EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"blocker"}));
}

TEST(EnvFile, BashReadsValuesBack) {
  // bash `set -a; . file` reads back every value exactly, whatever characters it holds.
  const TempDir dir;
  const fs::path file = dir.path() / "mepsim.env";
  const EnvEntries entries = {
      {"PLAIN", "plain"},
      {"URL", "mysql://app:p%40ss@127.0.0.1:3306/shop"},
      {"SPACES", "  two  spaces  "},
      {"QUOTE", "it's"},
      {"QUOTES", "'single' and \"double\""},
      {"DOLLAR", "$HOME ${PATH} $(echo pwned) `echo pwned`"},
      {"BACKSLASH", "back\\slash\\"},
      {"NEWLINES", "line one\nline two\n"},
      {"TAB", "a\tb"},
      {"GLOB", "*.txt ?[a-z]"},
      {"OPERATORS", "a;b&c|d>e<f"},
      {"TILDE", "~/x"},
      {"HASH", "#not a comment"},
      {"EQUALS", "a=b=c"},
      {"EMPTY", ""},
      {"UTF8", "caf\xc3\xa9 \xe2\x82\xac"},
  };
  const Result<void> written = write_env_file(file, entries);
  ASSERT_TRUE(written.ok()) << written.error().message;
  for (const auto& [key, value] : entries) {
    EXPECT_EQ(bash_reads(file, key), value) << key;
  }
}

}  // namespace
}  // namespace mepsim
