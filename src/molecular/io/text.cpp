#include "molecular/io/text.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

namespace ldyn::molecular::io::text {

void split(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t i = 0;
  const std::size_t n = line.size();
  while (i < n) {
    while (i < n && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i == n) break;
    const std::size_t start = i;
    while (i < n && line[i] != ' ' && line[i] != '\t') ++i;
    out.push_back(line.substr(start, i - start));
  }
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

bool read_atom_count(TextFileReader& reader, std::string& line, std::vector<std::string_view>& tok,
                     std::size_t index, std::int64_t& count) {
  const std::string& path = reader.path();
  if (blank(line)) {
    if (index == 0) throw FileError(path, reader.line_number(), "expected the atom count, got a blank line");
    expect_only_blank_lines(reader, line, "the end of the file");
    return false;
  }
  split(line, tok);
  if (tok.size() != 1) throw FileError(path, reader.line_number(), "expected the atom count, got " + quote(line));
  count = integer(tok[0], path, reader.line_number(), "atom count", 0, max_atoms);
  return true;
}

std::string quote(std::string_view token) {
  if (token.size() > 40) return "'" + std::string(token.substr(0, 40)) + "...'";
  return "'" + std::string(token) + "'";
}

double real(std::string_view token, const std::string& path, std::size_t line, std::string_view what) {
  std::string_view t = token;
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  double v = 0.0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec == std::errc::result_out_of_range)
    throw FileError(path, line, std::string(what) + " " + quote(token) + " is out of range");
  if (ec != std::errc() || end != t.data() + t.size() || t.empty())
    throw FileError(path, line, std::string(what) + " " + quote(token) + " is not a number");
  if (!std::isfinite(v))
    throw FileError(path, line, std::string(what) + " " + quote(token) + " is not finite");
  return v;
}

std::int64_t integer(std::string_view token, const std::string& path, std::size_t line,
                     std::string_view what, std::int64_t min, std::int64_t max) {
  std::string_view t = token;
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || t.empty())
    throw FileError(path, line, std::string(what) + " " + quote(token) + " is not an integer");
  if (v < min || v > max)
    throw FileError(path, line, std::string(what) + " " + quote(token) + " is out of range [" +
                                    std::to_string(min) + ", " + std::to_string(max) + "]");
  return v;
}

void check_range(const FrameRange& range) {
  if (range.stride == 0) throw InvalidOption("frame stride", "must be >= 1 (got 0)");
}

void expect_only_blank_lines(TextFileReader& reader, std::string& line, std::string_view what) {
  while (reader.next_line(line))
    if (!blank(line))
      throw FileError(reader.path(), reader.line_number(),
                      "text after a blank line (expected " + std::string(what) + ")");
}

}  // namespace ldyn::molecular::io::text
