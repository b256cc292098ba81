#pragma once
// The tables of the real `scalingo` CLI, as github.com/olekukonko/tablewriter (v0.0.x)
// draws them with its defaults: `+---+` borders, headers uppercased and centred, cells
// left-aligned except numbers (right-aligned), cells wider than 30 columns wrapped at
// spaces with the library's minimal-raggedness algorithm. Pure, so it is unit-tested.

#include <string>
#include <vector>

namespace mepsim::scalingo_cli {

using TableRow = std::vector<std::string>;

// The whole table, each line ending in '\n'. Rows shorter than the header get empty cells.
std::string render_table(const TableRow& header, const std::vector<TableRow>& rows);

// How tablewriter prints a header: '_' (and '.' not between digits) become spaces,
// trimmed, uppercased. "Git Ref" → "GIT REF".
std::string table_title(const std::string& header);

// Columns a string takes on a terminal: one per UTF-8 code point (wide East Asian
// characters are not told apart).
int display_width(const std::string& text);

// A cell cut into lines of at most `width_max` columns at spaces, like tablewriter's
// WrapString; a word longer than that stays whole.
std::vector<std::string> wrap_cell(const std::string& text, int width_max);

}  // namespace mepsim::scalingo_cli
