// SPDX-License-Identifier: MIT
// The `pkgnote ps` record (shared/FORMAT.md) and its text lines, byte for byte, from process
// reports built in memory: a stale module (replaced, and removed), a guest module, a chrooted
// process, a process that could not be read.
#include "pkgnote/ps.h"

#include <gtest/gtest.h>

namespace pkgnote {
namespace {

PackageMetadata note(const std::string &name, const std::string &version) {
  return PackageMetadata{{{"type", "deb"}, {"name", name}, {"version", version}}};
}

ProcessModule module(const std::string &path, const std::string &version) {
  ProcessModule module;
  module.module.path = path;
  module.module.elfArchitecture = "AMD x86-64";
  module.module.buildId = "ab" + version;
  module.module.package = note("libv", version);
  return module;
}

ProcessReport staleProcess() {
  ProcessReport process;
  process.pid = 42;
  process.comm = "app";
  process.exe = "/usr/bin/app";
  ProcessModule replaced = module("/usr/lib/libv.so", "1");
  replaced.source = ProcessModule::Source::Mapping;
  replaced.deleted = true;
  replaced.installed = ProcessModule::Installed::Differs;
  replaced.installedFile = module("/usr/lib/libv.so", "2").module;
  ProcessModule removed = module("/usr/lib/libw.so", "3");
  removed.source = ProcessModule::Source::Memory;
  removed.deleted = true;
  removed.installed = ProcessModule::Installed::Gone;
  process.modules = {module("/usr/bin/app", "7"), replaced, removed};
  return process;
}

TEST(PsRecord, StaleProcessJsonIsTheFormatRecord) {
  EXPECT_EQ(
      processToJson(staleProcess()),
      R"({"pid":42,"comm":"app","exe":"/usr/bin/app","modules":[)"
      R"({"path":"/usr/bin/app","elfArchitecture":"AMD x86-64","buildId":"ab7","package":{"type":"deb","name":"libv","version":"7"},"source":"file","deleted":false},)"
      R"({"path":"/usr/lib/libv.so","elfArchitecture":"AMD x86-64","buildId":"ab1","package":{"type":"deb","name":"libv","version":"1"},"source":"mapping","deleted":true,)"
      R"("installed":{"elfArchitecture":"AMD x86-64","buildId":"ab2","package":{"type":"deb","name":"libv","version":"2"}}},)"
      R"({"path":"/usr/lib/libw.so","elfArchitecture":"AMD x86-64","buildId":"ab3","package":{"type":"deb","name":"libv","version":"3"},"source":"memory","deleted":true,"installed":null}],)"
      R"("stale":true})");
}

TEST(PsRecord, StaleModulesAreOneLineEachInText) {
  EXPECT_EQ(processToText(staleProcess()),
            "42 app /usr/bin/app [stale]\n"
            "    /usr/bin/app: libv 7\n"
            "    /usr/lib/libv.so: running libv 1, installed libv 2\n"
            "    /usr/lib/libw.so: running libv 3, installed nothing (deleted)\n");
}

TEST(PsRecord, ReplacedBySameBuildIsNotStale) {
  ProcessModule same = module("/usr/lib/libv.so", "1");
  same.deleted = true;
  same.installed = ProcessModule::Installed::Same;
  EXPECT_FALSE(same.stale());
  ProcessModule unknown = same;
  unknown.installed = ProcessModule::Installed::Unknown;
  EXPECT_TRUE(unknown.stale());
}

TEST(PsRecord, GuestRootAndErrorRecords) {
  ProcessReport qemu;
  qemu.pid = 7;
  qemu.comm = "qemu-aarch64-st";
  qemu.exe = "/usr/bin/qemu-aarch64-static";
  qemu.root = "/srv/tree";
  ProcessModule guest;
  guest.module.path = "/bin/guest";
  guest.module.elfArchitecture = "AARCH64";
  guest.guest = true;
  qemu.modules = {guest};
  EXPECT_EQ(processToJson(qemu),
            R"({"pid":7,"comm":"qemu-aarch64-st","exe":"/usr/bin/qemu-aarch64-static",)"
            R"("root":"/srv/tree","modules":[{"path":"/bin/guest","elfArchitecture":"AARCH64",)"
            R"("source":"file","deleted":false,"guest":true}],"stale":false})");
  EXPECT_EQ(processToText(qemu), "7 qemu-aarch64-st /usr/bin/qemu-aarch64-static (root /srv/tree)\n"
                                 "    /bin/guest: unstamped [guest AARCH64]\n");
  ProcessReport denied;
  denied.pid = 1;
  denied.comm = "systemd";
  denied.error = "'/proc/1/maps': permission denied";
  EXPECT_EQ(processToJson(denied),
            R"({"pid":1,"comm":"systemd","error":"'/proc/1/maps': permission denied"})");
  EXPECT_EQ(processToText(denied), "1 systemd: error: '/proc/1/maps': permission denied\n");
}

} // namespace
} // namespace pkgnote
