#pragma once
// The versioned binary format of optimizer state (checkpoints). Little-endian host layout, every
// array prefixed by its length, so a mismatched or truncated file is caught and named, not misread.
#include <cstdint>
#include <filesystem>
#include <istream>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace ldyn::optim {

class StateWriter {
 public:
  explicit StateWriter(std::ostream& out) : out_(out) {}
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void i64(std::int64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  template <class T>
  void array(std::span<const T> a) {
    u64(a.size());
    raw(a.data(), a.size() * sizeof(T));
  }
  void tag(const char (&t)[9]) { raw(t, 8); }

 private:
  void raw(const void* p, std::size_t n) { out_.write(static_cast<const char*>(p), static_cast<std::streamsize>(n)); }
  std::ostream& out_;
};

class StateReader {
 public:
  StateReader(std::istream& in, std::string path) : in_(in), path_(std::move(path)) {}
  std::uint64_t u64() { std::uint64_t v; raw(&v, sizeof v); return v; }
  std::int64_t i64() { std::int64_t v; raw(&v, sizeof v); return v; }
  double f64() { double v; raw(&v, sizeof v); return v; }
  /// Reads an array that must have exactly `a.size()` elements.
  template <class T>
  void array(std::span<T> a, const char* what) {
    const std::uint64_t n = u64();
    if (n != a.size())
      fail(std::string(what) + " has " + std::to_string(n) + " values, this optimizer expects " +
           std::to_string(a.size()) + " (state saved from a different model or optimizer?)");
    raw(a.data(), a.size() * sizeof(T));
  }
  void expect(std::uint64_t got, std::uint64_t want, const char* what) {
    if (got != want)
      fail(std::string("mismatched ") + what + ": file has " + std::to_string(got) +
           ", this optimizer has " + std::to_string(want));
  }
  void tag(const char (&t)[9]) {
    char got[8];
    raw(got, 8);
    if (std::string(got, 8) != std::string(t, 8))
      fail("not an ldyn optimizer state file, or corrupt (expected section '" + std::string(t, 8) + "')");
  }
  [[noreturn]] void fail(const std::string& why) const { throw FileError(path_, why); }
  /// Reads a file's magic tag and format version; refuses any version but `supported`.
  void header(const char (&magic)[9], std::uint64_t supported) {
    tag(magic);
    const std::uint64_t version = u64();
    if (version != supported)
      fail("checkpoint version " + std::to_string(version) + " is not supported (this build reads " +
           std::to_string(supported) + ")");
  }
  /// Reads n raw bytes (the caller has checked n).
  void raw_into(void* p, std::size_t n) { raw(p, n); }

 private:
  void raw(void* p, std::size_t n) {
    in_.read(static_cast<char*>(p), static_cast<std::streamsize>(n));
    if (!in_) fail("truncated or unreadable: not a complete ldyn state file");
  }
  std::istream& in_;
  std::string path_;
};

}  // namespace ldyn::optim
