#include "harness/scalingo_cli/table.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>

namespace mepsim::scalingo_cli {
namespace {

// tablewriter's MAX_ROW_WIDTH: wider cells are wrapped.
constexpr int kCellWidthMax = 30;
// tablewriter's penalty for a line longer than the limit (only a single long word).
constexpr std::int64_t kTooLongPenalty = 100'000;

std::vector<std::string> split_spaces(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : text) {
    if (c == ' ' || c == '\n') {
      words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  words.push_back(std::move(word));
  return words;
}

std::string pad_right(const std::string& s, int width) {
  return s + std::string(static_cast<std::size_t>(std::max(0, width - display_width(s))), ' ');
}

std::string pad_left(const std::string& s, int width) {
  return std::string(static_cast<std::size_t>(std::max(0, width - display_width(s))), ' ') + s;
}

std::string pad_center(const std::string& s, int width) {
  const int gap = width - display_width(s);
  if (gap <= 0) return s;
  const int left = gap / 2;
  return std::string(static_cast<std::size_t>(left), ' ') + s +
         std::string(static_cast<std::size_t>(gap - left), ' ');
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\n\r");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\n\r");
  return s.substr(first, last - first + 1);
}

// tablewriter right-aligns what its regex `^-*\d*\.?\d*$` matches: numbers, and empty
// cells. Matched by hand: std::regex trips GCC 12's -Wmaybe-uninitialized under ASan.
bool looks_numeric(const std::string& cell) {
  const std::string text = trim(cell);
  std::size_t i = 0;
  const auto skip = [&](auto accept) {
    while (i < text.size() && accept(text[i])) ++i;
  };
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  skip([](char c) { return c == '-'; });
  skip(is_digit);
  if (i < text.size() && text[i] == '.') ++i;
  skip(is_digit);
  return i == text.size();
}

struct Layout {
  std::vector<int> widths;
  std::vector<std::vector<std::vector<std::string>>> rows;  // row → column → lines
};

Layout lay_out(const TableRow& header, const std::vector<TableRow>& rows) {
  Layout layout;
  layout.widths.assign(header.size(), 0);
  for (std::size_t i = 0; i < header.size(); ++i) {
    layout.widths[i] = std::min(display_width(header[i]), kCellWidthMax);
  }
  for (const auto& row : rows) {
    auto& cells = layout.rows.emplace_back();
    for (std::size_t i = 0; i < header.size(); ++i) {
      const std::string text = i < row.size() ? row[i] : std::string();
      int& width = layout.widths[i];
      width = std::max(width, std::min(display_width(text), kCellWidthMax));
      auto lines = wrap_cell(text, width);
      for (const auto& line : lines) width = std::max(width, display_width(line));
      cells.push_back(std::move(lines));
    }
  }
  return layout;
}

void append_rule(std::string& out, const std::vector<int>& widths) {
  out += '+';
  for (const int width : widths) out += std::string(static_cast<std::size_t>(width + 2), '-') + '+';
  out += '\n';
}

}  // namespace

int display_width(const std::string& text) {
  int width = 0;
  for (const char c : text) {
    // Continuation bytes (10xxxxxx) belong to the code point already counted.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string table_title(const std::string& header) {
  const auto is_digit_or_space = [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == ' ';
  };
  std::string title = header;
  for (std::size_t i = 0; i < title.size(); ++i) {
    if (title[i] == '_') {
      title[i] = ' ';
    } else if (title[i] == '.') {
      // "0.0" keeps its dot; any other dot is a separator.
      const bool after_word = i != 0 && !is_digit_or_space(header[i - 1]);
      const bool before_word = i + 1 != header.size() && !is_digit_or_space(header[i + 1]);
      if (after_word || before_word) title[i] = ' ';
    }
  }
  title = trim(title);
  if (title.empty() && !header.empty()) title = " ";
  for (char& c : title) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return title;
}

std::vector<std::string> wrap_cell(const std::string& text, int width_max) {
  const std::vector<std::string> words = split_spaces(text);
  std::int64_t limit = width_max;
  for (const auto& word : words) limit = std::max<std::int64_t>(limit, display_width(word));
  const std::size_t n = words.size();
  // line_width(i, j): words i..j on one line, one space between them.
  std::vector<std::int64_t> prefix(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + display_width(words[i]);
  const auto line_width = [&](std::size_t i, std::size_t j) {
    return prefix[j + 1] - prefix[i] + static_cast<std::int64_t>(j - i);
  };
  // Minimal raggedness: cost is the sum of squared shortfalls of every line but the last.
  std::vector<std::int64_t> cost(n, std::numeric_limits<std::int32_t>::max());
  std::vector<std::size_t> next_break(n, n);
  for (std::size_t k = n; k-- > 0;) {
    if (line_width(k, n - 1) <= limit) {
      cost[k] = 0;
      next_break[k] = n;
      continue;
    }
    for (std::size_t j = k + 1; j < n; ++j) {
      const std::int64_t shortfall = limit - line_width(k, j - 1);
      std::int64_t c = shortfall * shortfall + cost[j];
      if (line_width(k, j - 1) > limit) c += kTooLongPenalty;
      if (c < cost[k]) {
        cost[k] = c;
        next_break[k] = j;
      }
    }
  }
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < n; i = next_break[i]) {
    std::string line;
    for (std::size_t j = i; j < next_break[i]; ++j) {
      if (j != i) line += ' ';
      line += words[j];
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string render_table(const TableRow& header, const std::vector<TableRow>& rows) {
  const Layout layout = lay_out(header, rows);
  std::string out;
  append_rule(out, layout.widths);
  if (!header.empty()) {
    out += '|';
    for (std::size_t i = 0; i < header.size(); ++i) {
      out += ' ' + pad_center(table_title(header[i]), layout.widths[i]) + " |";
    }
    out += '\n';
    append_rule(out, layout.widths);
  }
  for (const auto& cells : layout.rows) {
    std::size_t height = 0;
    for (const auto& lines : cells) height = std::max(height, lines.size());
    for (std::size_t line = 0; line < height; ++line) {
      out += '|';
      for (std::size_t i = 0; i < cells.size(); ++i) {
        // tablewriter fills the missing lines of a shorter cell with two spaces.
        const std::string text = line < cells[i].size() ? cells[i][line] : "  ";
        const int width = layout.widths[i];
        out += ' ' + (looks_numeric(text) ? pad_left(text, width) : pad_right(text, width)) + " |";
      }
      out += '\n';
    }
  }
  append_rule(out, layout.widths);
  return out;
}

}  // namespace mepsim::scalingo_cli
