// SPDX-License-Identifier: MIT
// What `pkgnote read` learns about one input: plain value types, shared by the ELF reader, the
// core reader (which fills `modules`) and the two renderers (JSON Lines and aligned text).
#pragma once

#include "pkgnote/metadata.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgnote {

// e_type as FORMAT.md names it; PIEs (ET_DYN with PT_INTERP) are executables, as systemd says.
enum class ElfKind { Relocatable, Executable, SharedObject, Core, Other };

// "relocatable", "executable", "shared-object", "core", "other".
std::string_view elfKindName(ElfKind kind);

// The object file format of an input: ELF, or PE/COFF (UAPI.8's `.pkgnote` section).
enum class FileFormat { Elf, Pe };

// "elf", "pe".
std::string_view fileFormatName(FileFormat format);

// e_machine named as elfutils and `systemd-analyze inspect-elf` name it ("AMD x86-64",
// "AARCH64", "IBM S/390"); empty for a machine pkgnote does not know.
std::string elfArchitectureName(std::uint16_t machine);

// One FDO/0xcafe1a7e note, its payload decoded.
struct PackageNote {
  PackageMetadata metadata;
  std::uint64_t offset = 0; // of the note header, in the file (or the core's memory)
};

// A module (executable or library) mapped into a crashed process.
struct ModuleReport {
  enum class Source { Core, File }; // note read from the core's memory, or from the file on disk
  std::string path;
  std::string elfArchitecture;
  std::string buildId; // lowercase hex, empty when none
  std::optional<PackageMetadata> package;
  std::vector<PackageMetadata> extraPackages;
  Source source = Source::Core;
};

// Where a file read from inside a container image came from (FORMAT.md, "Container images").
// The CycloneDX writer names the image component from it; JSON records add its fields.
struct ImageOrigin {
  std::string image;          // the PATH as given on the command line
  std::string ref;            // org.opencontainers.image.ref.name or docker RepoTag; empty if none
  std::string platform;       // "linux/amd64", "linux/arm64/v8"
  std::string layer;          // "sha256:..." of the layer that supplied the file
  std::string manifestDigest; // "sha256:..." of the image manifest the file belongs to
};

// One entry of a `.note.dlopen` note (owner FDO, type 0x407c0c0a; systemd's "dlopen Metadata for
// ELF Files"): a library the file may dlopen(), any of SONAMES, for FEATURE.
struct DlopenEntry {
  std::string feature, description, priority; // empty when the entry has none
  std::vector<std::string> sonames;
};

// What a file needs from the dynamic loader (`read --deps`, FORMAT.md "Dependencies"): read from
// PT_DYNAMIC and the dlopen notes, then resolved as glibc's loader would inside a root.
struct Dependencies {
  std::vector<std::string> needed;    // DT_NEEDED, in order
  std::optional<std::string> runpath; // DT_RUNPATH as written (':'-separated)
  std::optional<std::string> rpath;   // DT_RPATH as written
  std::vector<DlopenEntry> dlopen;    // every .note.dlopen note's entries, in file order
  std::string dlopenError;            // a dlopen note that does not parse; the rest still read
  // Each needed, then each dlopen soname (first occurrence), and the path that provides it
  // (printed as pkgnote prints a file it read there), or std::nullopt when none does. Empty
  // until resolved (resolve/).
  std::vector<std::pair<std::string, std::optional<std::string>>> resolved;
  bool isResolved = false;
};

struct FileReport {
  std::string path;
  FileFormat format = FileFormat::Elf;
  ElfKind kind = ElfKind::Other; // PE: an EXE or EFI application is Executable, a DLL SharedObject
  std::string peType;            // PE: "executable", "dll", "efi-application", ... (FORMAT.md)
  std::string elfArchitecture;   // PE: the COFF machine ("x86-64", "i386", "arm64")
  std::string buildId;           // lowercase hex of NT_GNU_BUILD_ID, empty when none; PE: the
                                 // CodeView PDB 7.0 GUID and age (docs/pe.md), empty when none
  std::vector<PackageNote> packages; // in file order; the first is "package", as systemd does
  std::vector<std::string> warnings; // e.g. more than one package note
  std::vector<ModuleReport> modules; // empty unless the input is a core
  std::string executable;            // core: the crashed process's executable, when known
  std::string emulatedArchitecture;  // core: a module's machine when it differs from the
                                     // core's (an emulator such as qemu-user ran a guest)
  std::optional<ImageOrigin> image;  // set when the file was read from a container image;
                                     // then path is its absolute path inside the image
  unsigned char elfClass = 0;        // EI_CLASS (1: 32-bit, 2: 64-bit)
  unsigned char elfData = 0;         // EI_DATA (1: little-endian, 2: big-endian)
  std::uint16_t machine = 0;         // e_machine
  std::optional<Dependencies> dependencies; // with ReadOptions::dependencies, for ELF files

  // True when a package note was found (for a core: in any module).
  bool stamped() const;
};

// One compact JSON object (no newline), the FORMAT.md schema:
// {"path":…,"format":"elf","elfType":…,"elfArchitecture":…,"buildId":…,"package":{…},
// "extraPackages":[…]} plus "modules" for a core; a PE image has "format":"pe","peType":…,
// "machine":… in place of elfType and elfArchitecture. Bytes that are not UTF-8 (in paths) become U+FFFD.
std::string reportToJson(const FileReport &report);

// Aligned "key: value" lines, like `systemd-analyze inspect-elf`, ending in a newline.
std::string reportToText(const FileReport &report);

// The line that heads a group of reports from one image in text mode, ending in a newline:
// "image: PATH  ref: REF  platform: OS/ARCH  manifest: sha256:...".
std::string imageHeading(const ImageOrigin &origin);

} // namespace pkgnote
