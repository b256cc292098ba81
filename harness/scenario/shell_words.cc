#include "harness/scenario/shell_words.h"

namespace mepsim::scenario {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Inside double quotes a backslash escapes only these (POSIX); before anything else it
// stays a backslash.
bool escapable_in_double_quotes(char c) {
  return c == '"' || c == '\\' || c == '$' || c == '`' || c == '\n';
}

}  // namespace

Result<std::vector<std::string>> split_shell_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_blank(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      const auto close = text.find('\'', i + 1);
      if (close == std::string_view::npos) {
        return make_error(ErrorCode::invalid_input, "unterminated single quote");
      }
      word.append(text.substr(i + 1, close - i - 1));
      i = close;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < text.size() && text[j] != '"'; ++j) {
        if (text[j] == '\\' && j + 1 < text.size() && escapable_in_double_quotes(text[j + 1])) ++j;
        word.push_back(text[j]);
      }
      if (j >= text.size())
        return make_error(ErrorCode::invalid_input, "unterminated double quote");
      i = j;
    } else if (c == '\\') {
      if (i + 1 >= text.size()) {
        return make_error(ErrorCode::invalid_input, "a lone backslash ends the command");
      }
      word.push_back(text[++i]);
    } else {
      word.push_back(c);
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace mepsim::scenario
