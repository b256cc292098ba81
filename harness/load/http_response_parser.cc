#include "harness/load/http_response_parser.h"

#include <algorithm>
#include <charconv>

namespace mepsim::load {
namespace {

constexpr std::string_view kHeadEnd = "\r\n\r\n";
constexpr std::size_t kChunkLineBytesMax = 1024;

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

// Whether the comma-separated list `value` holds `token` (case-insensitive).
bool has_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const auto comma = std::min(value.find(','), value.size());
    std::string_view item = value.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (iequals(item, token)) return true;
    value.remove_prefix(std::min(comma + 1, value.size()));
  }
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

void HttpResponseParser::reset(bool keep_body, bool head_request) {
  state_ = State::head;
  response_.status = 0;
  response_.set_cookies.clear();
  response_.location.clear();
  response_.x_cache.clear();
  response_.keep_alive = true;
  response_.body_bytes = 0;
  response_.body.clear();
  response_.body_truncated = false;
  head_.clear();
  line_.clear();
  error_.clear();
  keep_body_ = keep_body;
  head_request_ = head_request;
  started_ = false;
  chunked_ = false;
  has_length_ = false;
  remaining_ = 0;
}

ParseStatus HttpResponseParser::fail(std::string why) {
  state_ = State::failed;
  error_ = std::move(why);
  return ParseStatus::error;
}

bool HttpResponseParser::parse_status_line(std::string_view line) {
  // "HTTP/1.1 200 OK": the version, a space, three digits, then anything.
  if (line.size() < 12 || !line.starts_with("HTTP/1.") || line[8] != ' ') return false;
  if (line[7] == '0') response_.keep_alive = false;  // HTTP/1.0 closes unless told
  int status = 0;
  const auto [end, ec] = std::from_chars(line.data() + 9, line.data() + 12, status);
  if (ec != std::errc() || end != line.data() + 12 || status < 100 || status > 999) return false;
  if (line.size() > 12 && line[12] != ' ') return false;
  response_.status = status;
  return true;
}

void HttpResponseParser::on_header(std::string_view name, std::string_view value) {
  switch (lower(name.front())) {
    case 's':
      if (iequals(name, "set-cookie")) response_.set_cookies.emplace_back(value);
      break;
    case 'l':
      if (iequals(name, "location")) response_.location.assign(value);
      break;
    case 'x':
      if (iequals(name, "x-cache")) {
        response_.x_cache.assign(value);
        for (auto& c : response_.x_cache) c = lower(c);
      }
      break;
    case 'c':
      if (iequals(name, "content-length")) {
        std::uint64_t length = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
        if (ec != std::errc() || end != value.data() + value.size() ||
            (has_length_ && length != remaining_)) {
          error_ = "bad Content-Length";
          return;
        }
        has_length_ = true;
        remaining_ = length;
      } else if (iequals(name, "connection")) {
        if (has_token(value, "close")) response_.keep_alive = false;
        if (has_token(value, "keep-alive")) response_.keep_alive = true;
      }
      break;
    case 't':
      if (iequals(name, "transfer-encoding")) chunked_ = has_token(value, "chunked");
      break;
    default:
      break;
  }
}

ParseStatus HttpResponseParser::parse_head(std::string_view head) {
  auto eol = head.find("\r\n");
  if (!parse_status_line(head.substr(0, eol))) return fail("bad status line");
  head.remove_prefix(eol + 2);
  while (!head.empty()) {
    eol = head.find("\r\n");
    const std::string_view line = head.substr(0, eol);
    head.remove_prefix(std::min(eol + 2, head.size()));
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return fail("bad header line");
    const std::string_view name = line.substr(0, colon);
    if (name.find_first_of(" \t") != std::string_view::npos) return fail("bad header name");
    on_header(name, trim(line.substr(colon + 1)));
    if (!error_.empty()) return fail(error_);
  }
  const int status = response_.status;
  if (status >= 100 && status < 200) {  // an interim answer: the real one follows
    reset(keep_body_, head_request_);
    started_ = true;
    return ParseStatus::need_more;
  }
  if (head_request_ || status == 204 || status == 304) {
    state_ = State::done;
  } else if (chunked_) {
    state_ = State::chunk_size;
  } else if (has_length_) {
    state_ = remaining_ == 0 ? State::done : State::body_length;
  } else {
    response_.keep_alive = false;
    state_ = State::body_until_close;
  }
  return state_ == State::done ? ParseStatus::complete : ParseStatus::need_more;
}

void HttpResponseParser::take_body(std::string_view bytes) {
  response_.body_bytes += static_cast<std::int64_t>(bytes.size());
  if (!keep_body_) return;
  const std::size_t room = kKeptBodyBytesMax - std::min(kKeptBodyBytesMax, response_.body.size());
  if (bytes.size() > room) response_.body_truncated = true;
  response_.body.append(bytes.substr(0, room));
}

ParseStatus HttpResponseParser::feed(std::string_view data, std::size_t& consumed) {
  consumed = 0;
  if (state_ == State::failed) return ParseStatus::error;
  if (!data.empty()) started_ = true;
  while (consumed < data.size() || state_ == State::done) {
    const std::string_view rest = data.substr(consumed);
    switch (state_) {
      case State::head: {
        // The usual case: the whole head in one read, parsed in place.
        const std::size_t before = head_.size();
        std::size_t end = std::string_view::npos;
        if (before == 0) {
          end = rest.find(kHeadEnd);
          if (end != std::string_view::npos) {
            consumed += end + kHeadEnd.size();
            const auto status = parse_head(rest.substr(0, end + kHeadEnd.size()));
            if (status != ParseStatus::need_more) return status;
            break;
          }
        }
        head_.append(rest);
        end = head_.find(kHeadEnd, before > 3 ? before - 3 : 0);
        if (end == std::string::npos) {
          if (head_.size() > kHeadBytesMax) return fail("response head over 64 KiB");
          consumed = data.size();
          return ParseStatus::need_more;
        }
        const std::size_t used = end + kHeadEnd.size() - before;
        consumed += used;
        head_.resize(end + kHeadEnd.size());
        const std::string head = std::move(head_);
        head_.clear();
        const auto status = parse_head(head);
        if (status != ParseStatus::need_more) return status;
        break;
      }
      case State::body_length: {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, rest.size()));
        take_body(rest.substr(0, n));
        consumed += n;
        remaining_ -= n;
        if (remaining_ == 0) state_ = State::done;
        break;
      }
      case State::body_until_close:
        take_body(rest);
        consumed = data.size();
        return ParseStatus::need_more;
      case State::done:
        return ParseStatus::complete;
      case State::failed:
        return ParseStatus::error;
      default: {
        std::size_t used = 0;
        const auto status = feed_chunked(rest, used);
        consumed += used;
        if (status == ParseStatus::error) return status;
        break;
      }
    }
  }
  return state_ == State::done ? ParseStatus::complete : ParseStatus::need_more;
}

ParseStatus HttpResponseParser::feed_chunked(std::string_view data, std::size_t& consumed) {
  consumed = 0;
  // A line (chunk size, CRLF after data, trailer) gathered across reads.
  const auto take_line = [&](std::string_view& line) {
    const auto eol = data.find('\n');
    const std::size_t n = eol == std::string_view::npos ? data.size() : eol + 1;
    line_.append(data.substr(0, n));
    consumed = n;
    if (eol == std::string_view::npos) return false;
    line = line_;
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return true;
  };
  std::string_view line;
  switch (state_) {
    case State::chunk_size: {
      if (!take_line(line)) {
        return line_.size() > kChunkLineBytesMax ? fail("chunk size line too long")
                                                 : ParseStatus::need_more;
      }
      line = line.substr(0, line.find(';'));
      line = trim(line);
      std::uint64_t size = 0;
      const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
      if (line.empty() || ec != std::errc() || end != line.data() + line.size()) {
        return fail("bad chunk size");
      }
      line_.clear();
      remaining_ = size;
      state_ = size == 0 ? State::trailers : State::chunk_data;
      return ParseStatus::need_more;
    }
    case State::chunk_data: {
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size()));
      take_body(data.substr(0, n));
      consumed = n;
      remaining_ -= n;
      if (remaining_ == 0) state_ = State::chunk_data_end;
      return ParseStatus::need_more;
    }
    case State::chunk_data_end:
      if (!take_line(line))
        return line_.size() > 2 ? fail("chunk not followed by CRLF") : ParseStatus::need_more;
      if (!line.empty()) return fail("chunk not followed by CRLF");
      line_.clear();
      state_ = State::chunk_size;
      return ParseStatus::need_more;
    case State::trailers:
      if (!take_line(line)) {
        return line_.size() > kHeadBytesMax ? fail("trailers too long") : ParseStatus::need_more;
      }
      if (line.empty()) state_ = State::done;
      line_.clear();
      return ParseStatus::need_more;
    default:
      return fail("chunked parser in a wrong state");
  }
}

ParseStatus HttpResponseParser::finish_on_close() {
  if (state_ == State::body_until_close) {
    state_ = State::done;
    return ParseStatus::complete;
  }
  if (state_ == State::done) return ParseStatus::complete;
  return fail(started_ ? "connection closed in the middle of a response"
                       : "connection closed before a response");
}

}  // namespace mepsim::load
