#pragma once
// Expected failures as values: bad input, a refused request, a service that is down.
// Exceptions are kept for the process and scenario boundaries (DESIGN.md).

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace mepsim {

enum class ErrorCode {
  invalid_input,  // the caller's input is wrong: exit code 2 at the CLI
  not_found,      // a binary, file or object that should exist does not
  unavailable,    // a server or service did not answer, or answered that it is down
  timeout,        // a bounded wait ran out
  conflict,       // the request contradicts the current state
  capacity,       // a bounded queue or journal is full
  internal,       // a system call failed in a way the caller cannot fix
};

const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;

  // The same error with what the caller was doing in front: "starting MariaDB: …".
  Error context(std::string_view what) const {
    return Error{code, std::string(what) + ": " + message};
  }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<T>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<Error>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(failed_);
    return error_;
  }

 private:
  Error error_{ErrorCode::internal, {}};
  bool failed_ = false;
};

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace mepsim
