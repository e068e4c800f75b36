// SPDX-License-Identifier: MIT
// binfmt_misc registrations: which interpreter the kernel runs for a foreign binary (qemu-user for
// another architecture's ELF, wine for .exe, ...), where that registration came from, and whether
// the interpreter carries a package note. Registrations are read from the three places they live:
// the kernel's live table (/proc/sys/fs/binfmt_misc), systemd's binfmt.d files, and
// binfmt-support's format files (/usr/share/binfmts). Everything is read under a root directory so
// that a build root or an image can be inspected like the running system.
#pragma once

#include "pkgnote/metadata.h"
#include "pkgnote/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgnote {

// Where a registration was found.
enum class BinfmtSource {
  Kernel,        // an entry file under /proc/sys/fs/binfmt_misc: what the kernel uses now
  BinfmtD,       // a line of a systemd binfmt.d *.conf file, registered at boot by systemd-binfmt
  BinfmtSupport, // a format file of binfmt-support (update-binfmts --import)
};

std::string_view toString(BinfmtSource source); // "kernel", "binfmt.d", "binfmt-support"

// The flags field of a registration (Documentation/admin-guide/binfmt-misc.rst).
struct BinfmtFlags {
  bool preserveArgv0 = false; // P: the interpreter gets the original argv[0]
  bool openBinary = false;    // O: the kernel opens the binary and passes its fd (AT_EXECFD)
  bool credentials = false;   // C: setuid/setgid from the binary, not the interpreter (implies O)
  bool fixBinary = false;     // F: the interpreter is opened at registration, so it runs inside
                              //    chroots and containers that do not contain it
};

// The flags in the kernel's order, e.g. "POCF"; empty when none is set.
std::string toString(const BinfmtFlags &flags);

// One registration, decoded. For a magic registration the kernel compares
// file[offset + i] & mask[i] with magic[i] & mask[i]; an extension registration compares the
// text after the last '.' of the executed path with `extension`.
struct BinfmtEntry {
  std::string name;
  bool byExtension = false;        // type 'E' (else 'M', magic)
  std::uint32_t offset = 0;        // of the magic in the file
  std::vector<std::uint8_t> magic; // raw bytes after \x unescaping
  std::vector<std::uint8_t> mask;  // empty: all ones; else as long as magic
  std::string extension;           // without the dot, for type 'E'
  std::string interpreter;         // as registered (may be a symlink)
  BinfmtFlags flags;
  bool enabled = true; // kernel entries can be disabled
  BinfmtSource source = BinfmtSource::BinfmtD;
  std::string origin; // the file it came from, as seen on the system (no root prefix)
  std::optional<std::string> declaredPackage; // binfmt-support's `package` line
  std::optional<std::string> detector;        // binfmt-support's userspace detector, if any
};

// Parses a registration string as written to /proc/sys/fs/binfmt_misc/register and found in
// binfmt.d files: ":name:type:offset:magic:mask:interpreter:flags", the first character being the
// delimiter. Applies the kernel's checks (fields present, name without '/', magic not empty, mask
// as long as magic, offset + size within the 256 bytes the kernel reads, known flags).
Result<BinfmtEntry> parseBinfmtRegistration(std::string_view line);

// Parses one entry file of a mounted binfmt_misc ("enabled", "interpreter ...", "flags: ...",
// "offset ...", "magic <hex>", "mask <hex>" or "extension .ext"). NAME is the file's name.
Result<BinfmtEntry> parseBinfmtKernelEntry(std::string_view name, std::string_view text);

// Parses a binfmt-support format file ("package", "interpreter", "magic", "offset", "mask",
// "extension", "detector", "credentials", "preserve", "fix_binary" lines). NAME is the file's name,
// which binfmt-support uses as the registration's name.
Result<BinfmtEntry> parseBinfmtSupportFormat(std::string_view name, std::string_view text);

// The interpreter of a registration, resolved under the root, and its package note.
struct BinfmtInterpreter {
  std::string resolvedPath;               // symlinks followed, as seen on the system; empty if
                                          // it does not resolve
  std::optional<PackageMetadata> package; // absent: unstamped (or unreadable, see error)
  std::optional<std::string> error;       // why the interpreter could not be read
};

// Among registrations of the same name one wins: the kernel's live entry, then binfmt.d's
// (systemd registers files in name order, /etc/binfmt.d masking /run and /usr/lib; a name
// registered again fails), then binfmt-support's (whose update-binfmts finds the name taken).
// Among the winners, of those with the same magic (offset, magic and mask) or extension the one
// the kernel tries first wins (the newest, as whichBinfmt orders them). The others are shadowed.
struct BinfmtRegistration {
  BinfmtEntry entry;
  BinfmtInterpreter interpreter;
  // The registration the kernel uses (when its table is mounted: a kernel entry that is enabled;
  // otherwise: what boot would register).
  bool active = true;
  // Who wins over this one, "SOURCE ORIGIN" (e.g. "kernel /proc/sys/fs/binfmt_misc/qemu-arm");
  // empty when nothing does (an inactive one is then disabled, or not in the mounted table).
  std::string shadowedBy = {};
};

// Everything found under ROOT, with the problems met on the way (a malformed line is reported and
// skipped; the other registrations are still listed).
struct BinfmtListing {
  bool kernelMounted = false; // ROOT/proc/sys/fs/binfmt_misc holds a binfmt_misc table
  std::vector<BinfmtRegistration> registrations;
  std::vector<Error> problems;
  // The file each problem is about, as seen on the system under the root (--root itself when it
  // is missing): the "path" of its --json record. Same order as problems.
  std::vector<std::string> problemPaths;
};

// Kernel entries (sorted by name), then binfmt.d lines (files in systemd's order: by file name,
// a name in /etc/binfmt.d masking the same name in /run/binfmt.d, /usr/local/lib/binfmt.d and
// /usr/lib/binfmt.d), then binfmt-support formats (by file name).
BinfmtListing listBinfmt(const std::string &root);

// Whether ENTRY would run the file at PATH whose first bytes are HEAD (the kernel reads 256).
bool binfmtMatches(const BinfmtEntry &entry, const std::vector<std::uint8_t> &head,
                   std::string_view path);

// The registrations of LISTING that would run the file at PATH, the one the kernel picks first.
// When the kernel table is mounted it is the truth and only kernel entries are considered (enabled
// ones); otherwise what boot would register: binfmt.d lines then binfmt-support formats, a name
// registered twice keeping its first registration, the kernel trying the latest registration
// first. Fails when PATH cannot be read.
Result<std::vector<const BinfmtRegistration *>> whichBinfmt(const BinfmtListing &listing,
                                                            const std::string &path);

// One JSON object (compact, one line) describing a registration, for `pkgnote binfmt --json`.
std::string toJsonLine(const BinfmtRegistration &registration);

// The record of a problem of a listing for `pkgnote binfmt --json`: {"path":PATH,"error":…}, PATH
// as seen on the system (under the root).
std::string binfmtProblemToJsonLine(const std::string &path, const Error &problem);

// The JSON line of `pkgnote binfmt --which PATH --json`: {"path":…,"handler":{…}|null,
// "alsoMatching":[{…}]}, MATCHES in the order whichBinfmt returned them.
std::string whichToJsonLine(const std::string &path,
                            const std::vector<const BinfmtRegistration *> &matches);

} // namespace pkgnote
