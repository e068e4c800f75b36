// SPDX-License-Identifier: MIT
// Names for e_type and e_machine. Architectures use elfutils' wording (dwelf_elf_e_machine_string)
// because that is what `systemd-analyze inspect-elf` prints, so pkgnote's JSON compares equal.
#include "pkgnote/elf_report.h"

#include "llvm/BinaryFormat/ELF.h"

namespace pkgnote {

std::string_view elfKindName(ElfKind kind) {
  switch (kind) {
  case ElfKind::Relocatable: return "relocatable";
  case ElfKind::Executable: return "executable";
  case ElfKind::SharedObject: return "shared-object";
  case ElfKind::Core: return "core";
  case ElfKind::Other: break;
  }
  return "other";
}

std::string_view fileFormatName(FileFormat format) {
  return format == FileFormat::Pe ? "pe" : "elf";
}

std::string elfArchitectureName(std::uint16_t machine) {
  using namespace llvm::ELF;
  switch (machine) {
  case EM_SPARC: return "SPARC";
  case EM_386: return "Intel 80386";
  case EM_68K: return "M68K";
  case EM_88K: return "M88K";
  case EM_IAMCU: return "Intel MCU";
  case EM_860: return "Intel 80860";
  case EM_MIPS: return "MIPS R3000";
  case EM_S370: return "IBM System/370";
  case EM_MIPS_RS3_LE: return "MIPS R3000";
  case EM_PARISC: return "HPPA";
  case EM_SPARC32PLUS: return "SPARC v8+";
  case EM_PPC: return "PowerPC";
  case EM_PPC64: return "PowerPC64";
  case EM_S390: return "IBM S/390";
  case EM_ARM: return "ARM";
  case EM_SH: return "SH";
  case EM_SPARCV9: return "SPARC v9";
  case EM_IA_64: return "Intel IA-64";
  case EM_X86_64: return "AMD x86-64";
  case EM_VAX: return "Digital VAX";
  case EM_AVR: return "Atmel AVR 8-bit microcontroller";
  case EM_MSP430: return "Texas Instruments msp430";
  case EM_HEXAGON: return "QUALCOMM DSP6";
  case EM_AARCH64: return "AARCH64";
  case EM_MICROBLAZE: return "Xilinx MicroBlaze";
  case EM_CUDA: return "NVIDIA CUDA";
  case EM_RISCV: return "RISC-V";
  case EM_BPF: return "BPF";
  case EM_CSKY: return "C-SKY";
  case 258: return "LoongArch"; // EM_LOONGARCH, newer than LLVM 14
  case 0x9026: return "Alpha"; // EM_ALPHA, unofficial but what Linux uses
  default: return "";
  }
}

bool FileReport::stamped() const {
  if (!packages.empty())
    return true;
  for (const ModuleReport &module : modules)
    if (module.package)
      return true;
  return false;
}

} // namespace pkgnote
