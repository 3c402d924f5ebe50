#pragma once
// A tiny 5x7 bitmap font built into the binary, so captions need no font files or libraries.
// It covers ASCII digits, letters and the punctuation captions use (" .:=-/%,()+_!?[]<>*#'|").
#include <array>
#include <cstdint>

namespace ldyn::particles {

inline constexpr int kGlyphWidth = 5;
inline constexpr int kGlyphHeight = 7;
/// Horizontal distance between the left edges of two neighbouring characters (one blank column).
inline constexpr int kGlyphAdvance = 6;

/// One row per entry, top row first; bit 4 is the leftmost column.
using Glyph = std::array<std::uint8_t, kGlyphHeight>;

/// The glyph of `ch`; the glyph of '?' for characters the font lacks.
const Glyph& glyph_for(char ch);

/// True when the font has its own glyph for `ch`.
bool font_has(char ch);

}  // namespace ldyn::particles
