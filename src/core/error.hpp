#pragma once
// Errors that reach the user. Every message names what was wrong: the option, the file and line,
// or the quantity that became non-finite, so that the CLI can print it on one line and exit non-zero.
#include <cstddef>
#include <stdexcept>
#include <string>

namespace ldyn {

/// Base of every error ldyn raises on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An impossible or unknown parameter value: "option --lr: must be > 0 (got -1)".
class InvalidOption : public Error {
 public:
  InvalidOption(const std::string& option, const std::string& why)
      : Error("option " + option + ": " + why), option_(option) {}
  const std::string& option() const { return option_; }

 private:
  std::string option_;
};

/// A file that cannot be read, is malformed or does not match what it should hold.
class FileError : public Error {
 public:
  FileError(const std::string& path, const std::string& why)
      : Error(path + ": " + why), path_(path) {}
  FileError(const std::string& path, std::size_t line, const std::string& why)
      : Error(path + ":" + std::to_string(line) + ": " + why), path_(path) {}
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// A quantity that became NaN or infinite during a computation.
class NonFiniteError : public Error {
 public:
  using Error::Error;
};

}  // namespace ldyn
