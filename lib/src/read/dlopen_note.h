// SPDX-License-Identifier: MIT
// The `.note.dlopen` notes (owner FDO, type 0x407c0c0a): systemd's "dlopen Metadata for ELF
// Files" declares, in a JSON array, the libraries a program may dlopen() and for what feature.
#pragma once

#include "pkgnote/elf_report.h"

#include <string>
#include <vector>

namespace pkgnote::detail {

// Appends the entries of each note descriptor in NOTES to DEPENDENCIES.dlopen. A note that is not
// such a JSON array sets DEPENDENCIES.dlopenError (the first such note's message) and adds none of
// its entries; the other notes are still read.
void parseDlopenNotes(const std::vector<std::string> &notes, Dependencies &dependencies);

} // namespace pkgnote::detail
