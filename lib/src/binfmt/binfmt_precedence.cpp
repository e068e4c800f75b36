// SPDX-License-Identifier: MIT
// Which of several registrations of one format the kernel uses (binfmt.h, BinfmtRegistration).
// qemu-user-static installs each format twice, as a binfmt.d file and as a binfmt-support format
// (flags POF against PF): a listing that shows both as "enabled" does not say which one runs a
// foreign binary. Two rules, the kernel's: a name is registered once (a second registration of it
// fails with EEXIST), so the first source to register it keeps it: the live table, then
// systemd-binfmt (binfmt.d files in systemd's order), then binfmt-support. Registrations of
// different names with the same magic all register, and the kernel tries the newest first: the
// order `binfmt --which` tries them in (whichBinfmt) decides.
#include "binfmt/binfmt_internal.h"

#include <llvm/ADT/StringExtras.h>

#include <algorithm>
#include <map>

namespace pkgnote::binfmt_detail {
namespace {

// The kernel's table first, then systemd's binfmt.d, then binfmt-support.
int rank(BinfmtSource source) {
  switch (source) {
  case BinfmtSource::Kernel:
    return 0;
  case BinfmtSource::BinfmtD:
    return 1;
  case BinfmtSource::BinfmtSupport:
    return 2;
  }
  return 3;
}

// What the registration matches: the same key means the same files.
std::string matchKey(const BinfmtEntry &entry) {
  if (entry.byExtension)
    return "E:" + entry.extension;
  return "M:" + std::to_string(entry.offset) + ":" +
         llvm::toHex(llvm::makeArrayRef(entry.magic), true) + ":" +
         llvm::toHex(llvm::makeArrayRef(entry.mask), true);
}

std::string describe(const BinfmtEntry &entry) {
  return std::string(toString(entry.source)) + " " + entry.origin;
}

} // namespace

void markPrecedence(BinfmtListing &listing) {
  // Names: the first source to register a name keeps it (listing order is each source's own).
  std::map<std::string, const BinfmtRegistration *> byName;
  std::vector<BinfmtRegistration *> registered; // the name holders, in registration order
  for (int pass = 0; pass < 3; ++pass)
    for (BinfmtRegistration &registration : listing.registrations) {
      if (rank(registration.entry.source) != pass)
        continue;
      auto [holder, inserted] = byName.emplace(registration.entry.name, &registration);
      if (!inserted) {
        registration.active = false;
        registration.shadowedBy = describe(holder->second->entry);
        continue;
      }
      // With the table mounted only what it holds runs; a disabled entry runs nothing.
      bool live = registration.entry.source == BinfmtSource::Kernel;
      registration.active = registration.entry.enabled && (live || !listing.kernelMounted);
      if (registration.active)
        registered.push_back(&registration);
    }
  // Magic: the kernel tries the newest registration first. The live table does not tell the
  // order, so its entries are taken in name order, as whichBinfmt takes them.
  if (!listing.kernelMounted)
    std::reverse(registered.begin(), registered.end());
  std::map<std::string, const BinfmtRegistration *> byMatch;
  for (BinfmtRegistration *registration : registered) {
    auto [holder, inserted] = byMatch.emplace(matchKey(registration->entry), registration);
    if (!inserted) {
      registration->active = false;
      registration->shadowedBy = describe(holder->second->entry);
    }
  }
}

} // namespace pkgnote::binfmt_detail
