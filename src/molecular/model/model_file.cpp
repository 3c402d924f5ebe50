#include "molecular/model/model_file.hpp"

#include <cmath>
#include <string>
#include <string_view>

#include "core/atomic_file.hpp"
#include "core/compressed_file.hpp"
#include "core/error.hpp"
#include "molecular/io/format.hpp"
#include "molecular/io/text.hpp"

namespace ldyn::molecular {
namespace {

constexpr std::string_view magic = "ldyn-agent-model";

void append_block(std::string& out, const std::string& header, const double* c, int count) {
  out += header + '\n';
  for (int k = 0; k < count; ++k) {
    io::format::append(out, c[k]);
    out += (k % 6 == 5 || k + 1 == count) ? '\n' : ' ';
  }
}

}  // namespace

void write_model_file(const std::filesystem::path& path, const ModelFile& model) {
  const ModelSpec& spec = model.spec;
  spec.validate();
  if (model.coefficients.size() != spec.total_size() || !model.coefficients.allFinite())
    throw Error("model: coefficients missing or not finite; not writing " + path.string());
  std::string out(magic);
  out += " " + std::to_string(model_file_version) + "\n";
  out += "# Agent-loss model of ldyn (docs/molecular.md). Energies eV, lengths Å, masses g/mol.\n";
  out += "species";
  for (std::size_t s = 0; s < spec.species.size(); ++s) {
    out += " " + spec.species.symbols[s] + " ";
    io::format::append(out, spec.species.masses[s]);
  }
  out += "\ndynamics ";
  out += to_string(spec.dynamics);
  out += "\nunits length angstrom energy eV\n";
  auto basis = [&](const char* name, const CubicBSpline& b) {
    out += name;
    out += " cubic-bspline ";
    io::format::append(out, b.r_inner());
    out += ' ';
    io::format::append(out, b.r_cut());
    out += " " + std::to_string(b.size());
  };
  basis("pair_basis", spec.pair);
  out += '\n';
  basis("angular_basis", spec.angular);
  out += " legendre " + std::to_string(spec.lmax) + "\nwall ";
  io::format::append(out, spec.wall_strength);
  out += '\n';
  const int types = spec.types();
  for (int a = 0; a < types; ++a)
    for (int b = a; b < types; ++b) {
      out += "wall_radius " + spec.species.symbols[static_cast<std::size_t>(a)] + " " +
             spec.species.symbols[static_cast<std::size_t>(b)] + " ";
      io::format::append(out, spec.wall_radius(a, b));
      out += '\n';
    }
  for (const auto& [key, value] : model.meta) out += "meta " + key + " " + value + "\n";
  for (int s = 0; s < types; ++s) {
    const double* c = model.coefficients.data() + spec.species_offset(s);
    const std::string& S = spec.species.symbols[static_cast<std::size_t>(s)];
    for (int t = 0; t < types; ++t)
      append_block(out, "pair " + S + " " + spec.species.symbols[static_cast<std::size_t>(t)],
                   c + spec.pair_offset(s, t), spec.pair.size());
    for (int a = 0; a < types; ++a)
      for (int b = a; b < types; ++b)
        append_block(out,
                     "angle " + S + " " + spec.species.symbols[static_cast<std::size_t>(a)] + " " +
                         spec.species.symbols[static_cast<std::size_t>(b)],
                     c + spec.angular_offset(s, a, b), spec.angular_products(a, b) * (spec.lmax + 1));
  }
  out += "end\n";
  write_text_atomically(path, out);
}

ModelFile read_model_file(const std::filesystem::path& path) {
  TextFileReader reader(path);
  const std::string& file = reader.path();
  std::string line;
  std::vector<std::string_view> tok;
  auto fail = [&](const std::string& why) -> FileError { return FileError(file, reader.line_number(), why); };
  auto next = [&](bool required) {
    while (reader.next_line(line)) {
      io::text::split(line, tok);
      if (!tok.empty() && tok[0][0] != '#') return true;
    }
    if (required) throw FileError(file, reader.line_number(), "unexpected end of file (truncated model?)");
    return false;
  };
  auto real = [&](std::string_view t, const char* what) {
    const double v = io::text::real(t, file, reader.line_number(), what);
    if (!std::isfinite(v)) throw fail(std::string(what) + " is not finite");
    return v;
  };
  auto integer = [&](std::string_view t, const char* what) {
    return static_cast<int>(io::text::integer(t, file, reader.line_number(), what));
  };

  next(true);
  if (tok.size() != 2 || tok[0] != magic) throw fail("not an ldyn model file (first line must be 'ldyn-agent-model VERSION')");
  if (integer(tok[1], "version") != model_file_version)
    throw fail("model file version " + std::string(tok[1]) + " is not supported (this ldyn reads version " +
               std::to_string(model_file_version) + ")");

  ModelFile model;
  ModelSpec& spec = model.spec;
  bool have_species = false, have_dynamics = false, have_pair = false, have_angular = false, have_wall = false;
  auto type_of = [&](std::string_view symbol) {
    const int t = spec.species.find(symbol);
    if (t < 0) throw fail("unknown species '" + std::string(symbol) + "'");
    return t;
  };
  auto read_basis = [&](const char* what, CubicBSpline& b) {
    if (tok.size() < 5 || tok[1] != "cubic-bspline") throw fail(std::string(what) + ": expected 'cubic-bspline R_INNER R_CUT COUNT'");
    try {
      b = CubicBSpline(real(tok[2], "r_inner"), real(tok[3], "r_cut"), integer(tok[4], "count"), what);
    } catch (const InvalidOption& e) {
      throw fail(e.what());
    }
  };

  // Header until the first coefficient block.
  while (next(true)) {
    const std::string key(tok[0]);
    if (key == "pair" || key == "angle") break;
    if (key == "species") {
      if (tok.size() < 3 || tok.size() % 2 == 0) throw fail("species: expected 'SYMBOL MASS' pairs");
      for (std::size_t k = 1; k + 1 < tok.size(); k += 2) {
        if (spec.species.find(tok[k]) >= 0) throw fail("species '" + std::string(tok[k]) + "' given twice");
        spec.species.symbols.emplace_back(tok[k]);
        const double m = real(tok[k + 1], "mass");
        if (m <= 0.0) throw fail("mass must be > 0");
        spec.species.masses.push_back(m);
      }
      have_species = true;
    } else if (key == "dynamics") {
      if (tok.size() != 2) throw fail("dynamics: expected 'agent' or 'symmetric'");
      try {
        spec.dynamics = parse_dynamics(std::string(tok[1]), "dynamics");
      } catch (const InvalidOption& e) {
        throw fail(e.what());
      }
      have_dynamics = true;
    } else if (key == "units") {
      if (tok.size() != 5 || tok[1] != "length" || tok[2] != "angstrom" || tok[3] != "energy" || tok[4] != "eV")
        throw fail("units must be 'length angstrom energy eV'");
    } else if (key == "pair_basis") {
      read_basis("pair_basis", spec.pair);
      have_pair = true;
    } else if (key == "angular_basis") {
      read_basis("angular_basis", spec.angular);
      if (tok.size() != 7 || tok[5] != "legendre") throw fail("angular_basis: expected '... legendre LMAX'");
      spec.lmax = integer(tok[6], "lmax");
      if (spec.lmax < 0 || spec.lmax > 20) throw fail("lmax must be in 0 … 20");
      have_angular = true;
    } else if (key == "wall") {
      if (tok.size() != 2) throw fail("wall: expected 'wall STRENGTH'");
      spec.wall_strength = real(tok[1], "wall strength");
      if (spec.wall_strength < 0.0) throw fail("wall strength must be >= 0");
      have_wall = true;
    } else if (key == "wall_radius") {
      if (!have_species) throw fail("wall_radius before species");
      if (tok.size() != 4) throw fail("wall_radius: expected 'A B RADIUS'");
      if (spec.wall_radius.rows() != spec.types()) spec.wall_radius = Eigen::MatrixXd::Constant(spec.types(), spec.types(), -1.0);
      const int a = type_of(tok[1]), b = type_of(tok[2]);
      const double r = real(tok[3], "wall radius");
      if (r < 0.0) throw fail("wall radius must be >= 0");
      spec.wall_radius(a, b) = spec.wall_radius(b, a) = r;
    } else if (key == "meta") {
      const std::string_view rest = std::string_view(line).substr(line.find("meta") + 4);
      const auto start = rest.find_first_not_of(" \t");
      const std::string_view body = start == std::string_view::npos ? std::string_view() : rest.substr(start);
      const auto space = body.find_first_of(" \t");
      model.meta.emplace_back(std::string(body.substr(0, space)),
                              space == std::string_view::npos ? std::string() : std::string(body.substr(body.find_first_not_of(" \t", space))));
    } else {
      throw fail("unknown keyword '" + key + "'");
    }
  }
  if (!have_species || !have_dynamics || !have_pair || !have_angular || !have_wall)
    throw fail("incomplete header: species, dynamics, pair_basis, angular_basis and wall are required");
  if (spec.wall_radius.rows() != spec.types() || (spec.wall_radius.array() < 0.0).any())
    throw fail("a wall_radius line is missing for some species pair");

  // Coefficient blocks in layout order.
  model.coefficients.resize(spec.total_size());
  const int types = spec.types();
  auto read_block = [&](const std::string& expected, double* c, int count) {
    std::string header;
    for (std::size_t k = 0; k < tok.size(); ++k) header += (k ? " " : "") + std::string(tok[k]);
    if (header != expected) throw fail("expected block '" + expected + "', found '" + header + "'");
    int have = 0;
    while (have < count) {
      next(true);
      if (tok[0] == "pair" || tok[0] == "angle" || tok[0] == "end")
        throw fail("block '" + expected + "' has " + std::to_string(have) + " coefficients, expected " + std::to_string(count));
      for (const auto t : tok) {
        if (have == count) throw fail("block '" + expected + "' has more than " + std::to_string(count) + " coefficients");
        c[have++] = real(t, "coefficient");
      }
    }
    next(true);
  };
  for (int s = 0; s < types; ++s) {
    double* c = model.coefficients.data() + spec.species_offset(s);
    const std::string& S = spec.species.symbols[static_cast<std::size_t>(s)];
    for (int t = 0; t < types; ++t)
      read_block("pair " + S + " " + spec.species.symbols[static_cast<std::size_t>(t)], c + spec.pair_offset(s, t), spec.pair.size());
    for (int a = 0; a < types; ++a)
      for (int b = a; b < types; ++b)
        read_block("angle " + S + " " + spec.species.symbols[static_cast<std::size_t>(a)] + " " +
                       spec.species.symbols[static_cast<std::size_t>(b)],
                   c + spec.angular_offset(s, a, b), spec.angular_products(a, b) * (spec.lmax + 1));
  }
  if (tok.size() != 1 || tok[0] != "end") throw fail("expected 'end' after the last block");
  if (next(false)) throw fail("text after 'end'");
  try {
    spec.validate();
  } catch (const InvalidOption& e) {
    throw FileError(file, e.what());
  }
  return model;
}

}  // namespace ldyn::molecular
