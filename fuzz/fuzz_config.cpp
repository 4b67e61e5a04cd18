// The configuration file (DESIGN.md "Config") as a person may have left it: any bytes. Reading never crashes or
// throws; every problem IniFile finds names its line; whatever it read comes back unchanged when written out and
// read again (the settings dialog saves through the same writer); and the config's validation takes anything.
#include "core/inifile.h"
#include "core/syncconfig.h"
#include "fuzzsupport.h"

using namespace tf;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = fuzz::bytes(data, size);
    const IniFile read = IniFile::parse(input);
    for (const QString &error : read.errors())
        TF_FUZZ_CHECK(error.startsWith(QLatin1String("line ")), error);

    IniFile written;
    for (const IniEntry &entry : read.entries())
        written.setValue(entry.section, entry.key, entry.value);
    const IniFile again = IniFile::parse(written.serialize());
    TF_FUZZ_CHECK(again.errors().isEmpty(), again.errors().join(QLatin1Char('\n')));
    TF_FUZZ_CHECK(again.entries().size() == written.entries().size(), QString::fromUtf8(written.serialize()));
    for (qsizetype i = 0; i < again.entries().size(); ++i) {
        const IniEntry &before = written.entries().at(i);
        const IniEntry &after = again.entries().at(i);
        TF_FUZZ_CHECK(before.section == after.section && before.key == after.key && before.value == after.value,
                      QStringLiteral("%1/%2: '%3' came back as %4/%5: '%6'")
                          .arg(before.section, before.key, before.value, after.section, after.key, after.value));
    }

    const SyncConfig config = SyncConfig::parse(input, QStringLiteral("fuzz.ini"));
    TF_FUZZ_CHECK(read.errors().isEmpty() || !config.errors.isEmpty(), read.errors().value(0));
    return 0;
}
