#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace tf {

// One `key=value` line of an INI file, with where it was found so a message can point at it.
struct IniEntry {
    QString section; // lower-cased, as the config's keys are compared
    QString key;     // lower-cased
    QString value;   // unquoted and unescaped
    int line = 0;    // 1-based
};

// The INI dialect of QSettings' IniFormat (DESIGN.md "Config": sections, key=value, `;` comments, "quoted" values
// with backslash escapes), read strictly. QSettings reads an unquoted comma as a list separator, so
// `path=/home/me/Smith, John/contacts.sqlite` became a list whose toString() is empty and the layer vanished; here a
// comma is part of the value. QSettings also skips a line it cannot read; here every such line is an error naming its
// number. Lines starting with `#` are comments too, as in most hand-written INI files.
class IniFile {
public:
    static IniFile parse(const QByteArray &data);

    const QList<IniEntry> &entries() const { return m_entries; }
    // Each section header once, lower-cased, in the order first seen, with the line of its first header.
    const QList<QPair<QString, int>> &sections() const { return m_sections; }
    bool hasSection(const QString &section) const;
    // "line N: what is wrong", in file order. Entries that could be read are kept either way.
    const QStringList &errors() const { return m_errors; }

    // Writing: sections and keys come out in the order they were first set.
    void setValue(const QString &section, const QString &key, const QString &value);
    QByteArray serialize() const;
    // The value as it must be written so that parse() reads it back unchanged.
    static QString quoted(const QString &value);

private:
    void noteSection(const QString &section, int line);
    void parseLine(const QString &line, int number, QString &section);
    bool parseValue(const QString &raw, int number, QString *value);

    QList<IniEntry> m_entries;
    QList<QPair<QString, int>> m_sections;
    QStringList m_errors;
};

} // namespace tf
