#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <lzma.h>
#include <zlib.h>

#include "core/compressed_file.hpp"
#include "core/error.hpp"
#include "molecular/io/cp2k_ener.hpp"
#include "molecular/io/cp2k_xyz.hpp"
#include "molecular/io/extxyz.hpp"
#include "molecular/io/lammps.hpp"
#include "molecular/io/units.hpp"

namespace fs = std::filesystem;
using namespace ldyn::molecular::io;

namespace {

fs::path temp_file(const std::string& name) {
  return fs::path(::testing::TempDir()) / ("ldyn_molio_" + name);
}

fs::path write(const std::string& name, const std::string& text) {
  const fs::path p = temp_file(name);
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

// Runs `f`, expects a FileError whose message starts with "path:line:".
void expect_file_error(const std::function<void()>& f, const fs::path& path, std::size_t line,
                       const std::string& contains = "") {
  try {
    f();
    ADD_FAILURE() << "no FileError for " << path;
  } catch (const ldyn::FileError& e) {
    const std::string msg = e.what();
    const std::string where = path.string() + ":" + std::to_string(line) + ": ";
    EXPECT_EQ(msg.rfind(where, 0), 0u) << msg << "\nexpected to start with " << where;
    EXPECT_EQ(e.path(), path.string());
    if (!contains.empty()) {
      EXPECT_NE(msg.find(contains), std::string::npos) << msg;
    }
  }
}

bool bit_equal(const AtomVectors& a, const AtomVectors& b) {
  return a.rows() == b.rows() &&
         (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0);
}
bool bit_equal(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

Frame water_frame() {
  Frame f;
  f.species = {"O", "H", "H", "Na"};
  f.positions.resize(4, 3);
  f.positions << 1.5019857156, 1.4129343304, 0.4320269379,  //
      1.0 / 3.0, -2.0e-300, 12.4297,                          //
      -0.0, 5e-324, 1.7976931348623157e308,                   //
      0.1, 0.2, 0.30000000000000004;
  f.velocities = f.positions * 1e-3;
  f.velocities(1, 1) = std::nextafter(1.0, 2.0);
  f.forces = -f.positions.array().sin().matrix();
  f.cell = Lattice::Identity() * 12.4297;
  f.pbc = {true, false, true};
  f.step = 12345678901;
  f.time_fs = 0.1 + 0.2;
  f.potential_energy_ev = -102079.12345678912;
  return f;
}

std::string compress_xz(const std::string& s) {
  std::string out(lzma_stream_buffer_bound(s.size()), '\0');
  std::size_t pos = 0;
  EXPECT_EQ(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                                    reinterpret_cast<const std::uint8_t*>(s.data()), s.size(),
                                    reinterpret_cast<std::uint8_t*>(out.data()), &pos, out.size()),
            LZMA_OK);
  out.resize(pos);
  return out;
}

fs::path write_gz(const std::string& name, const std::string& text) {
  const fs::path p = temp_file(name);
  gzFile g = gzopen(p.c_str(), "wb");
  gzwrite(g, text.data(), static_cast<unsigned>(text.size()));
  gzclose(g);
  return p;
}

// The reference data the project ships (data/water/README.md).
fs::path shipped(const std::string& name) { return fs::path(LDYN_SOURCE_DIR) / "data/water" / name; }

const char* kCp2kPos =
    "     3\n"
    " i =        0, time =        0.000, E =      -17.1\n"
    "  O         1.0        2.0        -3.0\n"
    "  H         0.5        0.0         0.0\n"
    "  H         0.0        0.5         0.0\n"
    "     3\n"
    " i =       10, time =        5.000, E =      -17.2\n"
    "  O         1.0        2.0        -3.0\n"
    "  H         0.5        0.0         0.0\n"
    "  H         0.0        0.5         0.0\n";

}  // namespace

// ---------------------------------------------------------------- compressed files

TEST(MolecularIoCompressed, PlainXzAndGzReadTheSameLines) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i) + "\r\n";  // > one chunk
  text += "last without newline";
  const fs::path plain = write("lines.txt", text);
  const fs::path xz = write("lines.txt.xz", compress_xz(text));
  const fs::path gz = write_gz("lines.txt.gz", text);
  const std::string expect = ldyn::read_text_file(plain);
  EXPECT_EQ(expect.substr(0, 14), "line 0\nline 1\n");
  EXPECT_EQ(expect.substr(expect.size() - 21), "last without newline\n");
  EXPECT_EQ(ldyn::read_text_file(xz), expect);
  EXPECT_EQ(ldyn::read_text_file(gz), expect);
  ldyn::TextFileReader r(xz);
  std::string line;
  std::size_t n = 0;
  while (r.next_line(line)) ++n;
  EXPECT_EQ(n, 20001u);
  EXPECT_EQ(r.line_number(), 20001u);
}

TEST(MolecularIoCompressed, MissingCorruptAndTruncatedFilesThrowFileError) {
  EXPECT_THROW(ldyn::read_text_file(temp_file("does-not-exist.xz")), ldyn::FileError);
  std::string xz = compress_xz(std::string(100000, 'a'));
  const fs::path truncated = write("trunc.xz", xz.substr(0, xz.size() / 2));
  EXPECT_THROW(ldyn::read_text_file(truncated), ldyn::FileError);
  xz[xz.size() / 2] = static_cast<char>(xz[xz.size() / 2] ^ 0x55);
  const fs::path corrupt = write("corrupt.xz", xz);
  EXPECT_THROW(ldyn::read_text_file(corrupt), ldyn::FileError);
  const fs::path gz = write_gz("full.gz", std::string(100000, 'b'));
  std::ifstream in(gz, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const fs::path gz_trunc = write("trunc.gz", bytes.substr(0, bytes.size() / 2));
  EXPECT_THROW(ldyn::read_text_file(gz_trunc), ldyn::FileError);
}

// ---------------------------------------------------------------- units

TEST(MolecularIoUnits, Codata2018Factors) {
  EXPECT_EQ(units::hartree_to_ev, 27.211386245988);
  EXPECT_EQ(units::bohr_to_angstrom, 0.529177210903);
  EXPECT_EQ(units::atomic_time_to_fs, 2.4188843265857e-2);
  EXPECT_NEAR(units::hartree_per_bohr_to_ev_per_angstrom, 51.422067476325886 /* CODATA 2018; 2014 gave 51.42208619 */, 1e-12);
  EXPECT_EQ(parse_force_unit("Hartree/Bohr"), ForceUnit::hartree_per_bohr);
  EXPECT_EQ(parse_length_unit("A"), LengthUnit::angstrom);
  EXPECT_THROW(parse_velocity_unit("furlong/fortnight"), ldyn::InvalidOption);
}

// ---------------------------------------------------------------- CP2K xyz

TEST(MolecularIoCp2k, BohrAndHartreePerBohrAreConvertedOnRead) {
  const fs::path p = write("units-pos-1.xyz", kCp2kPos);
  const auto bohr = read_cp2k_positions(p, LengthUnit::bohr);
  ASSERT_EQ(bohr.size(), 2u);
  EXPECT_EQ(bohr[0].species, (std::vector<std::string>{"O", "H", "H"}));
  EXPECT_DOUBLE_EQ(bohr[0].positions(0, 0), 0.529177210903);
  EXPECT_DOUBLE_EQ(bohr[0].positions(0, 1), 2 * 0.529177210903);
  EXPECT_DOUBLE_EQ(bohr[0].positions(0, 2), -3 * 0.529177210903);
  EXPECT_DOUBLE_EQ(bohr[1].positions(2, 1), 0.5 * 0.529177210903);
  EXPECT_EQ(bohr[1].step, 10);
  EXPECT_DOUBLE_EQ(bohr[1].time_fs, 5.0);
  EXPECT_DOUBLE_EQ(bohr[1].potential_energy_ev, -17.2 * 27.211386245988);
  EXPECT_FALSE(bohr[0].cell.has_value());

  const auto ang = read_cp2k_positions(p, LengthUnit::angstrom);
  EXPECT_EQ(ang[0].positions(1, 0), 0.5);

  const auto frc = read_cp2k_forces(p, ForceUnit::hartree_per_bohr);
  ASSERT_EQ(frc.size(), 2u);
  EXPECT_EQ(frc[0].positions.rows(), 0);
  EXPECT_DOUBLE_EQ(frc[0].forces(0, 2), -3 * 27.211386245988 / 0.529177210903);
  EXPECT_NEAR(frc[0].forces(1, 0), 0.5 * 51.422067476325886 /* CODATA 2018; 2014 gave 51.42208619 */, 1e-12);
  EXPECT_EQ(read_cp2k_forces(p, ForceUnit::ev_per_angstrom)[0].forces(0, 1), 2.0);

  const auto vel = read_cp2k_velocities(p, VelocityUnit::bohr_per_atomic_time);
  EXPECT_DOUBLE_EQ(vel[0].velocities(0, 0), 0.529177210903 / 2.4188843265857e-2);
}

TEST(MolecularIoCp2k, FrameRangeAndStride) {
  std::string text;
  for (int i = 0; i < 6; ++i)
    text += "1\n i = " + std::to_string(i) + ", time = " + std::to_string(i * 5) + ".0, E = 1.0\nH " +
            std::to_string(i) + " 0 0\n";
  const fs::path p = write("range-pos-1.xyz", text + "\n\n");  // trailing blank lines are fine
  EXPECT_EQ(read_cp2k_positions(p, LengthUnit::angstrom).size(), 6u);
  const auto sel = read_cp2k_positions(p, LengthUnit::angstrom, {1, 5, 2});
  ASSERT_EQ(sel.size(), 2u);
  EXPECT_EQ(sel[0].step, 1);
  EXPECT_EQ(sel[1].step, 3);
  EXPECT_EQ(sel[1].positions(0, 0), 3.0);
  EXPECT_THROW(read_cp2k_positions(p, LengthUnit::angstrom, {0, 5, 0}), ldyn::InvalidOption);
}

TEST(MolecularIoCp2k, FirstFrameOfShippedWaterData) {
  const fs::path p = shipped("w64-300K-pos-1.xyz.xz");
  ASSERT_TRUE(fs::exists(p)) << p;
  const auto frames = read_cp2k_positions(p, LengthUnit::angstrom, {0, 1, 1});
  ASSERT_EQ(frames.size(), 1u);
  const Frame& f = frames[0];
  ASSERT_EQ(f.size(), 192u);
  EXPECT_EQ(f.species[0], "O");
  EXPECT_EQ(f.species[1], "H");
  EXPECT_EQ(f.positions(0, 0), 1.5019857156);
  EXPECT_EQ(f.positions(0, 1), 1.4129343304);
  EXPECT_EQ(f.positions(0, 2), 0.4320269379);
  EXPECT_EQ(f.step, 0);
  EXPECT_EQ(f.time_fs, 0.0);
  EXPECT_DOUBLE_EQ(f.potential_energy_ev, 3751.3248901833 * units::hartree_to_ev);
}

// ---------------------------------------------------------------- CP2K .ener

TEST(MolecularIoCp2k, EnerFirstRowInEv) {
  const std::string text =
      "#     Step Nr.          Time[fs]        Kin.[a.u.]          Temp[K]            Pot.[a.u.]        "
      "Cons Qty[a.u.]        UsedTime[s]\n"
      "         0            0.000000         0.290701220       320.405149644      3751.324890183      "
      "3751.616066426         0.000000000\n"
      "         1            0.500000         0.289797822       319.409442377      3751.325683314      "
      "3751.616077725         0.370129015\n";
  const fs::path p = write_gz("w-1.ener.gz", text);
  const Cp2kEnergies e = read_cp2k_ener(p);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e.step[0], 0);
  EXPECT_EQ(e.time_fs[1], 0.5);
  EXPECT_DOUBLE_EQ(e.kinetic_ev[0], 0.290701220 * 27.211386245988);
  EXPECT_EQ(e.temperature_k[0], 320.405149644);
  EXPECT_DOUBLE_EQ(e.potential_ev[0], 3751.324890183 * 27.211386245988);
  EXPECT_DOUBLE_EQ(e.conserved_ev[0], 3751.616066426 * 27.211386245988);
  EXPECT_EQ(e.used_time_s[1], 0.370129015);

  const Cp2kEnergies r = read_cp2k_ener(shipped("w64-300K-1.ener.xz"));
  ASSERT_EQ(r.size(), 4001u);  // 2 ps of 0.5 fs steps, steps 0..4000
  EXPECT_EQ(r.step[0], 0);
  EXPECT_EQ(r.temperature_k[0], 320.405149644);
  EXPECT_DOUBLE_EQ(r.potential_ev[0], 3751.324890183 * 27.211386245988);
}

// ---------------------------------------------------------------- extxyz

TEST(MolecularIoExtxyz, RoundTripIsBitExact) {
  std::vector<Frame> frames{water_frame(), water_frame()};
  frames[1].cell.reset();
  frames[1].pbc = {false, false, false};
  frames[1].velocities.resize(0, 3);
  frames[1].time_fs = std::numeric_limits<double>::quiet_NaN();
  frames[1].potential_energy_ev = std::numeric_limits<double>::quiet_NaN();
  const fs::path p = temp_file("roundtrip.extxyz");
  write_extxyz(p, frames);
  const auto back = read_extxyz(p);
  ASSERT_EQ(back.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const Frame& a = frames[i];
    const Frame& b = back[i];
    EXPECT_EQ(a.species, b.species);
    EXPECT_TRUE(bit_equal(a.positions, b.positions));
    EXPECT_TRUE(bit_equal(a.velocities, b.velocities));
    EXPECT_TRUE(bit_equal(a.forces, b.forces));
    EXPECT_EQ(a.cell.has_value(), b.cell.has_value());
    if (a.cell) {
      EXPECT_TRUE(*a.cell == *b.cell);
    }
    EXPECT_EQ(a.pbc, b.pbc);
    EXPECT_EQ(a.step, b.step);
    EXPECT_TRUE(bit_equal(a.time_fs, b.time_fs) || (std::isnan(a.time_fs) && std::isnan(b.time_fs)));
    EXPECT_TRUE(bit_equal(a.potential_energy_ev, b.potential_energy_ev) ||
                (std::isnan(a.potential_energy_ev) && std::isnan(b.potential_energy_ev)));
  }
  EXPECT_TRUE(std::signbit(back[0].positions(2, 0)));  // -0.0 survives
}

TEST(MolecularIoExtxyz, ReadsAseStyleHeadersAndSkipsUnknownColumns) {
  const fs::path p = write(
      "ase.extxyz",
      "2\n"
      "Lattice=\"10 0 0 0 11 0 0 0 12\" Properties=species:S:1:pos:R:3:Z:I:1:forces:R:3 "
      "energy=-1.5 comment=\"hello world\" pbc=\"T T F\" flag\n"
      "O 0 0 0 8 1 2 3\n"
      "H 1 0 0 1 4 5 6\n"
      "1\n"
      "Properties=species:S:1:pos:R:3\n"
      "H 0 0 1\n");
  const auto f = read_extxyz(p);
  ASSERT_EQ(f.size(), 2u);
  ASSERT_TRUE(f[0].cell);
  EXPECT_EQ((*f[0].cell)(1, 1), 11.0);
  EXPECT_EQ(f[0].pbc, (std::array<bool, 3>{true, true, false}));
  EXPECT_EQ(f[0].potential_energy_ev, -1.5);
  EXPECT_EQ(f[0].forces(1, 2), 6.0);
  EXPECT_FALSE(f[0].has_velocities());
  EXPECT_FALSE(f[1].cell);
  EXPECT_EQ(f[1].positions(0, 2), 1.0);
  EXPECT_EQ(read_extxyz(p, {1}).size(), 1u);
}

TEST(MolecularIoExtxyz, WriterRejectsFramesItCannotWriteFaithfully) {
  Frame f = water_frame();
  f.forces(0, 0) = std::numeric_limits<double>::infinity();
  const fs::path p = temp_file("bad-write.extxyz");
  EXPECT_THROW(write_extxyz(p, std::vector<Frame>{f}), ldyn::FileError);
  f = water_frame();
  f.velocities.resize(2, 3);
  EXPECT_THROW(write_extxyz(p, std::vector<Frame>{f}), ldyn::FileError);
  EXPECT_FALSE(fs::exists(p));
}

// ---------------------------------------------------------------- LAMMPS

TEST(MolecularIoLammps, DumpRoundTrip) {
  std::vector<Frame> frames{water_frame(), water_frame()};
  frames[1].step = 7;
  frames[1].positions(0, 0) = 9.0;
  frames[1].time_fs = std::numeric_limits<double>::quiet_NaN();
  const fs::path p = temp_file("roundtrip.lammpstrj");
  write_lammps_dump(p, frames);
  const auto back = read_lammps_dump(p);
  ASSERT_EQ(back.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const Frame& a = frames[i];
    const Frame& b = back[i];
    EXPECT_EQ(a.species, b.species);
    EXPECT_TRUE(bit_equal(a.positions, b.positions));
    EXPECT_TRUE(bit_equal(a.forces, b.forces));
    ASSERT_EQ(b.velocities.rows(), 4);
    for (Eigen::Index k = 0; k < a.velocities.size(); ++k)
      EXPECT_NEAR(b.velocities.data()[k], a.velocities.data()[k], 1e-15 * std::abs(a.velocities.data()[k]));
    ASSERT_TRUE(b.cell);
    EXPECT_TRUE(*a.cell == *b.cell);
    EXPECT_EQ(a.pbc, b.pbc);
    EXPECT_EQ(a.step, b.step);
  }
  EXPECT_NEAR(back[0].time_fs, frames[0].time_fs, 1e-15);
  EXPECT_TRUE(std::isnan(back[1].time_fs));
  EXPECT_EQ(read_lammps_dump(p, {1}).at(0).step, 7);
}

TEST(MolecularIoLammps, DumpReaderSortsByIdAndTakesTypesWithoutElements) {
  const fs::path p = write("lammps-sorted.dump",
                           "ITEM: TIMESTEP\n5\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp ff\n"
                           "-1 1\n0 3\n0 4\nITEM: ATOMS id type x y z\n2 2 0.2 0 0\n1 1 0.1 0 0\n");
  const auto f = read_lammps_dump(p);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].species, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(f[0].positions(0, 0), 0.1);
  EXPECT_EQ((*f[0].cell)(0, 0), 2.0);
  EXPECT_EQ(f[0].pbc, (std::array<bool, 3>{true, true, false}));
}

TEST(MolecularIoLammps, DataFileHasTypesMassesAndAtoms) {
  Frame f = water_frame();
  const fs::path p = temp_file("water.data");
  write_lammps_data(p, f, {{"Na", 22.99}});
  const std::string s = ldyn::read_text_file(p);
  EXPECT_NE(s.find("4 atoms\n3 atom types\n"), std::string::npos) << s;
  EXPECT_NE(s.find("0 12.4297 xlo xhi\n"), std::string::npos) << s;
  EXPECT_NE(s.find("Masses\n\n1 15.999  # O\n2 1.008  # H\n3 22.99  # Na\n"), std::string::npos) << s;
  EXPECT_NE(s.find("Atoms  # atomic\n\n1 1 1.5019857156 1.4129343304 0.4320269379\n2 2 "), std::string::npos) << s;
  EXPECT_NE(s.find("\nVelocities\n\n1 1.5019857156 "), std::string::npos) << s;
  f.cell = Lattice::Identity();
  (*f.cell)(0, 1) = 0.5;
  EXPECT_THROW(write_lammps_data(p, f), ldyn::FileError);
  f.cell.reset();
  f.pbc = {false, false, false};
  EXPECT_THROW(write_lammps_data(p, f), ldyn::FileError);
  f = water_frame();
  f.species[3] = "Xx";
  EXPECT_THROW(write_lammps_data(p, f), ldyn::InvalidOption);
}

// ---------------------------------------------------------------- malformed input

TEST(MolecularIoBadInput, WrongAtomCount) {
  const fs::path p = write("bad-count-pos-1.xyz",
                           "2\n i = 0\nO 0 0 0\nH 0 0 0\n3\n i = 1\nO 0 0 0\nH 0 0 0\nH 0 0 0\n");
  expect_file_error([&] { read_cp2k_positions(p, LengthUnit::angstrom); }, p, 5, "atom count");
  const fs::path q = write("bad-count2-pos-1.xyz", "1\n i = 0\nO 0 0 0\nH 0 0 0\n");
  expect_file_error([&] { read_cp2k_positions(q, LengthUnit::angstrom); }, q, 4, "atom count");
  const fs::path r = write("bad-count3.extxyz", "-1\n\n");
  expect_file_error([&] { read_extxyz(r); }, r, 1, "atom count");
}

TEST(MolecularIoBadInput, ShortLine) {
  const fs::path p = write("short-pos-1.xyz", "2\n i = 0\nO 0 0 0\nH 0 0\n");
  expect_file_error([&] { read_cp2k_positions(p, LengthUnit::angstrom); }, p, 4, "3 fields");
  const fs::path q = write("short.extxyz", "1\nProperties=species:S:1:pos:R:3:forces:R:3\nH 0 0 0 1 2\n");
  expect_file_error([&] { read_extxyz(q); }, q, 3, "fields");
  const fs::path e = write("short.ener", "# Step Nr. Time[fs]\n0 0.0 1.0 300 2.0 3.0\n");
  expect_file_error([&] { read_cp2k_ener(e); }, e, 2, "7 columns");
}

TEST(MolecularIoBadInput, NonNumber) {
  const fs::path p = write("nonnum-frc-1.xyz", "1\n i = 0\nO 0 1.0x 0\n");
  expect_file_error([&] { read_cp2k_forces(p, ForceUnit::hartree_per_bohr); }, p, 3, "not a number");
  const fs::path c = write("nonnum-comment-pos-1.xyz", "1\n i = zero\nO 0 0 0\n");
  expect_file_error([&] { read_cp2k_positions(c, LengthUnit::angstrom); }, c, 2, "not an integer");
  const fs::path q = write("nonnum.lammpstrj",
                           "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n"
                           "0 1\n0 1\n0 1\nITEM: ATOMS id element x y z\n1 O 0 zero 0\n");
  expect_file_error([&] { read_lammps_dump(q); }, q, 10, "not a number");
}

TEST(MolecularIoBadInput, NanAndInf) {
  const fs::path p = write("nan-vel-1.xyz", "2\n i = 0\nO 0 0 0\nH 0 nan 0\n");
  expect_file_error([&] { read_cp2k_velocities(p, VelocityUnit::angstrom_per_fs); }, p, 4, "not finite");
  const fs::path q = write("inf.extxyz", "1\nProperties=species:S:1:pos:R:3\nH -inf 0 0\n");
  expect_file_error([&] { read_extxyz(q); }, q, 3, "not finite");
  const fs::path r = write("nan-energy.extxyz", "1\nenergy=NaN\nH 0 0 0\n");
  expect_file_error([&] { read_extxyz(r); }, r, 2, "not finite");
  const fs::path e = write("inf.ener", "0 0.0 1.0 300 2.0 3.0 1e999\n");
  expect_file_error([&] { read_cp2k_ener(e); }, e, 1, "out of range");
}

TEST(MolecularIoBadInput, MissingLatticeForPeriodicFrame) {
  const fs::path p = write("nolattice.extxyz",
                           "1\nProperties=species:S:1:pos:R:3 pbc=\"T T T\"\nH 0 0 0\n");
  expect_file_error([&] { read_extxyz(p); }, p, 2, "Lattice");
}

TEST(MolecularIoBadInput, TruncatedLastFrame) {
  const std::string text = std::string(kCp2kPos).substr(0, std::string(kCp2kPos).rfind("  H"));
  const fs::path p = write("truncated-pos-1.xyz", text);
  expect_file_error([&] { read_cp2k_positions(p, LengthUnit::bohr); }, p, 10, "file ends inside frame 1");
  const fs::path xz = write("truncated-pos-1.xyz.xz", compress_xz(text));
  expect_file_error([&] { read_cp2k_positions(xz, LengthUnit::bohr); }, xz, 10, "file ends inside frame 1");
  const fs::path q = write("truncated.extxyz", "2\nProperties=species:S:1:pos:R:3\nH 0 0 0\n");
  expect_file_error([&] { read_extxyz(q); }, q, 4, "expected 2 atoms, found 1");
  const fs::path d = write("truncated.lammpstrj",
                           "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n"
                           "0 1\n0 1\n0 1\nITEM: ATOMS id element x y z\n1 O 0 0 0\n");
  expect_file_error([&] { read_lammps_dump(d); }, d, 11, "found 1");
}

TEST(MolecularIoBadInput, UnknownUnit) {
  const fs::path e = write("kcal.ener", "#  Step Nr.   Time[fs]   Kin.[kcal/mol]  Temp[K]\n");
  expect_file_error([&] { read_cp2k_ener(e); }, e, 1, "unknown unit 'kcal/mol'");
  const fs::path d = write("real-units.lammpstrj", "ITEM: UNITS\nreal\nITEM: TIMESTEP\n0\n");
  expect_file_error([&] { read_lammps_dump(d); }, d, 2, "unknown unit style 'real'");
}
