// Unit tests of sim/core/result.h: Result<T> and Result<void> carry a value or an Error,
// and Error::context puts what the caller was doing in front of the message.

#include "sim/core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace mepsim {
namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return make_error(ErrorCode::invalid_input, "not a digit");
  return c - '0';
}

Result<void> check_positive(int n) {
  if (n <= 0) return make_error(ErrorCode::conflict, "not positive");
  return {};
}

TEST(Result, OkHoldsTheValue) {
  // A Result made from a value is ok, converts to true and gives the value back.
  const Result<int> r = parse_digit('7');
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 7);
}

TEST(Result, ErrorHoldsCodeAndMessage) {
  // A Result made from an Error is not ok and gives the error's code and message.
  const Result<int> r = parse_digit('x');
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(r.error().message, "not a digit");
}

TEST(Result, AccessorsReachTheValue) {
  // operator-> and operator* reach the held value, and writes through them stick.
  Result<std::string> r = std::string("mariadb");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 7u);
  EXPECT_EQ(*r, "mariadb");
  *r += "-10.11";
  r->append("!");
  EXPECT_EQ(r.value(), "mariadb-10.11!");
}

TEST(Result, RvalueValueMovesOut) {
  // value() on an rvalue Result moves the value out, so move-only types work.
  Result<std::unique_ptr<int>> r = std::make_unique<int>(42);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> owned = std::move(r).value();
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(*owned, 42);
}

TEST(Result, ValueTypeOfContainer) {
  // A Result of a container holds the whole container.
  Result<std::vector<int>> r = std::vector<int>{1, 2, 3};
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), (std::vector<int>{1, 2, 3}));
}

TEST(Result, VoidDefaultIsOk) {
  // A default Result<void> is a success.
  const Result<void> r = check_positive(3);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
}

TEST(Result, VoidFromErrorIsFailure) {
  // A Result<void> made from an Error is a failure that keeps the error.
  const Result<void> r = check_positive(0);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_EQ(r.error().message, "not positive");
}

TEST(Result, ErrorPropagatesAcrossTypes) {
  // An Error taken from one Result<T> builds a Result of another type unchanged.
  const auto twice = [](char c) -> Result<std::string> {
    auto digit = parse_digit(c);
    if (!digit) return digit.error();
    return std::to_string(digit.value() * 2);
  };
  const auto good = twice('4');
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.value(), "8");
  const auto bad = twice('?');
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(bad.error().message, "not a digit");
}

TEST(Error, ContextPrefixesTheMessage) {
  // context() puts "what: " in front of the message and keeps the code.
  const Error e = make_error(ErrorCode::unavailable, "port 3306 is busy");
  const Error wrapped = e.context("starting MariaDB");
  EXPECT_EQ(wrapped.code, ErrorCode::unavailable);
  EXPECT_EQ(wrapped.message, "starting MariaDB: port 3306 is busy");
  EXPECT_EQ(e.message, "port 3306 is busy");  // the original is untouched
}

TEST(Error, ContextNests) {
  // Nested contexts read outermost first.
  const Error e = make_error(ErrorCode::timeout, "no answer after 5 s")
                      .context("waiting for MariaDB")
                      .context("mepsim up");
  EXPECT_EQ(e.code, ErrorCode::timeout);
  EXPECT_EQ(e.message, "mepsim up: waiting for MariaDB: no answer after 5 s");
}

TEST(Error, MakeErrorKeepsCodeAndMessage) {
  // make_error builds the Error it is given.
  const Error e = make_error(ErrorCode::capacity, "queue full");
  EXPECT_EQ(e.code, ErrorCode::capacity);
  EXPECT_EQ(e.message, "queue full");
}

TEST(ErrorCode, ToStringNamesEachCode) {
  // Every code has its own readable name.
  EXPECT_STREQ(to_string(ErrorCode::invalid_input), "invalid input");
  EXPECT_STREQ(to_string(ErrorCode::not_found), "not found");
  EXPECT_STREQ(to_string(ErrorCode::unavailable), "unavailable");
  EXPECT_STREQ(to_string(ErrorCode::timeout), "timeout");
  EXPECT_STREQ(to_string(ErrorCode::conflict), "conflict");
  EXPECT_STREQ(to_string(ErrorCode::capacity), "capacity");
  EXPECT_STREQ(to_string(ErrorCode::internal), "internal");
  std::set<std::string> names;
  for (const auto code :
       {ErrorCode::invalid_input, ErrorCode::not_found, ErrorCode::unavailable, ErrorCode::timeout,
        ErrorCode::conflict, ErrorCode::capacity, ErrorCode::internal}) {
    names.insert(to_string(code));
  }
  EXPECT_EQ(names.size(), 7u);
}

}  // namespace
}  // namespace mepsim
