// Unit tests of harness/scalingo_cli/table.h: tables drawn as the real `scalingo` CLI's
// tablewriter draws them (borders, centred uppercase headers, numbers right-aligned,
// long cells wrapped with minimal raggedness).

#include <gtest/gtest.h>

#include "harness/scalingo_cli/table.h"

namespace mepsim::scalingo_cli {
namespace {

TEST(ScalingoTable, DrawsBordersHeaderAndRows) {
  // Column widths follow the widest cell; headers are centred, text left, numbers right.
  const std::string table =
      render_table({"ID", "Status", "PR"},
                   {{"abc", "success", "12"}, {"deployment-long-id", "build-error", "7"}});
  EXPECT_EQ(table,
            "+--------------------+-------------+----+\n"
            "|         ID         |   STATUS    | PR |\n"
            "+--------------------+-------------+----+\n"
            "| abc                | success     | 12 |\n"
            "| deployment-long-id | build-error |  7 |\n"
            "+--------------------+-------------+----+\n");
}

TEST(ScalingoTable, EmptyTableKeepsItsHeader) {
  // `scalingo deployments` on an app never deployed still prints the header.
  EXPECT_EQ(render_table({"Name", "Created At"}, {}),
            "+------+------------+\n"
            "| NAME | CREATED AT |\n"
            "+------+------------+\n"
            "+------+------------+\n");
}

TEST(ScalingoTable, ShortRowsGetEmptyCells) {
  // A missing cell is drawn empty rather than shifting the row.
  EXPECT_EQ(render_table({"A", "B"}, {{"x"}}),
            "+---+---+\n"
            "| A | B |\n"
            "+---+---+\n"
            "| x |   |\n"
            "+---+---+\n");
}

TEST(ScalingoTable, WrapsCellsWiderThanThirtyColumns) {
  // tablewriter cuts at spaces with minimal raggedness; other cells fill with spaces.
  const std::string table = render_table(
      {"Ref", "Message"},
      {{"1", "Migrations ran: Version20240101 Version20240202 and the cache was warmed up"}});
  // The column is 30 wide (the cap), though its longest line is 29.
  EXPECT_EQ(table,
            "+-----+--------------------------------+\n"
            "| REF |            MESSAGE             |\n"
            "+-----+--------------------------------+\n"
            "|   1 | Migrations ran:                |\n"
            "|     | Version20240101                |\n"
            "|     | Version20240202 and the cache  |\n"
            "|     | was warmed up                  |\n"
            "+-----+--------------------------------+\n");
}

TEST(ScalingoTable, WrapKeepsLongWordsWhole) {
  // A word longer than the limit is never cut: it widens the line instead.
  EXPECT_EQ(wrap_cell(std::string(41, 'a') + " bb", 30),
            (std::vector<std::string>{std::string(41, 'a'), "bb"}));
  EXPECT_EQ(wrap_cell("short", 30), std::vector<std::string>{"short"});
  EXPECT_EQ(wrap_cell("", 30), std::vector<std::string>{""});
}

TEST(ScalingoTable, TitlesLikeTablewriter) {
  // Underscores and word dots become spaces, then uppercase; "1.2" keeps its dot.
  EXPECT_EQ(table_title("Git Ref"), "GIT REF");
  EXPECT_EQ(table_title("created_at"), "CREATED AT");
  EXPECT_EQ(table_title("a.b"), "A B");
  EXPECT_EQ(table_title("v1.2"), "V1.2");
  EXPECT_EQ(table_title(" _ "), " ");
}

TEST(ScalingoTable, WidthCountsCodePoints) {
  // "→" and "é" take one column each, as runewidth counts them.
  EXPECT_EQ(display_width("→ é"), 3);
  EXPECT_EQ(render_table({"X"}, {{"é"}}),
            "+---+\n"
            "| X |\n"
            "+---+\n"
            "| é |\n"
            "+---+\n");
}

}  // namespace
}  // namespace mepsim::scalingo_cli
