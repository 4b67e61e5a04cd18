// The configuration file (DESIGN.md "Config") as a person may have left it: any bytes. Reading never crashes or
// throws; every problem IniFile finds names its line; whatever it read comes back unchanged when written out and
// read again (the settings dialog saves through the same writer); and the config's validation takes anything.
#include "core/inifile.h"
#include "core/syncconfig.h"
#include "fuzzsupport.h"

#include <QMap>

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
    // The writer groups keys by section, so a section the file opened twice comes back in one piece: compare by name.
    const auto byName = [](const IniFile &file) {
        QMap<QString, QString> values;
        for (const IniEntry &entry : file.entries())
            values.insert(entry.section + QLatin1Char('/') + entry.key, entry.value);
        return values;
    };
    const QMap<QString, QString> before = byName(written);
    const QMap<QString, QString> after = byName(again);
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        TF_FUZZ_CHECK(after.value(it.key()) == it.value() && after.contains(it.key()),
                      QStringLiteral("%1: '%2' came back as '%3'").arg(it.key(), it.value(), after.value(it.key())));
    }
    TF_FUZZ_CHECK(after.size() == before.size(), QString::fromUtf8(written.serialize()));

    const SyncConfig config = SyncConfig::parse(input, QStringLiteral("fuzz.ini"));
    TF_FUZZ_CHECK(read.errors().isEmpty() || !config.errors.isEmpty(), read.errors().value(0));
    return 0;
}
