#include "core/inifile.h"

#include <QStringDecoder>

namespace tf {

namespace {

// A value needs quotes when parse() would otherwise change it: surrounding blanks are trimmed, `;` starts a comment,
// and `"` and `\` are syntax.
bool needsQuotes(const QString &value)
{
    if (value.isEmpty())
        return false;
    if (value.front().isSpace() || value.back().isSpace())
        return true;
    for (QChar c : value) {
        if (c == QLatin1Char(';') || c == QLatin1Char('"') || c == QLatin1Char('\\') || c.unicode() < 0x20)
            return true;
    }
    return false;
}

int hexDigit(QChar c)
{
    const ushort u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'a' && u <= 'f')
        return u - 'a' + 10;
    if (u >= 'A' && u <= 'F')
        return u - 'A' + 10;
    return -1;
}

} // namespace

IniFile IniFile::parse(const QByteArray &data)
{
    IniFile file;
    QByteArray text = data;
    if (text.startsWith("\xEF\xBB\xBF"))
        text.remove(0, 3);
    text.replace("\r\n", "\n");
    text.replace('\r', '\n');
    QString section;
    const QList<QByteArray> lines = text.split('\n');
    for (int index = 0; index < lines.size(); ++index) {
        const int number = index + 1;
        if (lines.at(index).contains('\0')) {
            file.m_errors << QStringLiteral("line %1: contains a NUL byte").arg(number);
            continue;
        }
        QStringDecoder utf8(QStringDecoder::Utf8);
        const QString line = utf8.decode(lines.at(index));
        if (utf8.hasError()) {
            file.m_errors << QStringLiteral("line %1: is not valid UTF-8").arg(number);
            continue;
        }
        file.parseLine(line, number, section);
    }
    return file;
}

bool IniFile::hasSection(const QString &section) const
{
    return std::any_of(m_sections.cbegin(), m_sections.cend(),
                       [&](const QPair<QString, int> &known) { return known.first == section; });
}

void IniFile::noteSection(const QString &section, int line)
{
    if (!hasSection(section))
        m_sections.append({section, line});
}

void IniFile::parseLine(const QString &rawLine, int number, QString &section)
{
    const QString line = rawLine.trimmed();
    if (line.isEmpty() || line.startsWith(QLatin1Char(';')) || line.startsWith(QLatin1Char('#')))
        return;
    if (line.startsWith(QLatin1Char('['))) {
        const qsizetype close = line.indexOf(QLatin1Char(']'));
        const QString rest = close < 0 ? QString() : line.mid(close + 1).trimmed();
        if (close < 0 || !(rest.isEmpty() || rest.startsWith(QLatin1Char(';')) || rest.startsWith(QLatin1Char('#')))) {
            m_errors << QStringLiteral("line %1: '%2' is not a [section] header").arg(number).arg(line);
            section.clear();
            return;
        }
        section = line.mid(1, close - 1).trimmed().toLower();
        if (section.isEmpty()) {
            m_errors << QStringLiteral("line %1: a section needs a name").arg(number);
            return;
        }
        noteSection(section, number);
        return;
    }
    const qsizetype equals = line.indexOf(QLatin1Char('='));
    if (equals < 0) {
        m_errors
            << QStringLiteral("line %1: '%2' is neither key=value, a [section] nor a ; comment").arg(number).arg(line);
        return;
    }
    const QString key = line.left(equals).trimmed().toLower();
    if (key.isEmpty()) {
        m_errors << QStringLiteral("line %1: a value without a key").arg(number);
        return;
    }
    if (section.isEmpty()) {
        m_errors << QStringLiteral("line %1: key '%2' is outside any [section]").arg(number).arg(key);
        return;
    }
    QString value;
    if (parseValue(line.mid(equals + 1), number, &value))
        m_entries.append(IniEntry{section, key, value, number});
}

// Quoted runs keep everything (commas, `;`, blanks); unquoted text ends at a `;` comment and is trimmed. Backslash
// escapes are those QSettings writes.
bool IniFile::parseValue(const QString &raw, int number, QString *value)
{
    QString result;
    qsizetype keptUntil = 0; // blanks after the last quoted run are trimmed, those inside it are not
    bool quoted = false;
    qsizetype i = 0;
    while (i < raw.size() && raw.at(i).isSpace()) // `key = value`
        ++i;
    for (; i < raw.size(); ++i) {
        const QChar c = raw.at(i);
        if (c == QLatin1Char('"')) {
            quoted = !quoted;
            keptUntil = result.size();
            continue;
        }
        if (!quoted && c == QLatin1Char(';'))
            break;
        if (c != QLatin1Char('\\')) {
            result.append(c);
            if (quoted || !c.isSpace())
                keptUntil = result.size();
            continue;
        }
        if (++i == raw.size()) {
            m_errors << QStringLiteral("line %1: the value ends in a lone backslash").arg(number);
            return false;
        }
        const QChar escaped = raw.at(i);
        switch (escaped.unicode()) {
        case '\\':
        case '"':
        case '\'':
        case ';':
        case '?':
            result.append(escaped);
            break;
        case 'n':
            result.append(QLatin1Char('\n'));
            break;
        case 'r':
            result.append(QLatin1Char('\r'));
            break;
        case 't':
            result.append(QLatin1Char('\t'));
            break;
        case 'x': {
            const int high = i + 1 < raw.size() ? hexDigit(raw.at(i + 1)) : -1;
            const int low = i + 2 < raw.size() ? hexDigit(raw.at(i + 2)) : -1;
            if (high < 0 || low < 0) {
                m_errors << QStringLiteral("line %1: \\x needs two hex digits").arg(number);
                return false;
            }
            result.append(QChar(high * 16 + low));
            i += 2;
            break;
        }
        default:
            m_errors << QStringLiteral("line %1: unknown escape '\\%2' (write \\\\ for a backslash)")
                            .arg(number)
                            .arg(escaped);
            return false;
        }
        keptUntil = result.size();
    }
    if (quoted) {
        m_errors << QStringLiteral("line %1: a quote is not closed").arg(number);
        return false;
    }
    result.truncate(keptUntil);
    *value = result;
    return true;
}

void IniFile::setValue(const QString &section, const QString &key, const QString &value)
{
    noteSection(section, 0);
    for (IniEntry &entry : m_entries) {
        if (entry.section == section && entry.key == key) {
            entry.value = value;
            return;
        }
    }
    m_entries.append(IniEntry{section, key, value, 0});
}

QByteArray IniFile::serialize() const
{
    QByteArray out;
    for (const auto &[section, line] : m_sections) {
        if (!out.isEmpty())
            out += '\n';
        out += '[' + section.toUtf8() + "]\n";
        for (const IniEntry &entry : m_entries) {
            if (entry.section == section)
                out += entry.key.toUtf8() + '=' + quoted(entry.value).toUtf8() + '\n';
        }
    }
    return out;
}

QString IniFile::quoted(const QString &value)
{
    if (!needsQuotes(value))
        return value;
    QString out = QStringLiteral("\"");
    for (QChar c : value) {
        switch (c.unicode()) {
        case '"':
            out += QStringLiteral("\\\"");
            break;
        case '\\':
            out += QStringLiteral("\\\\");
            break;
        case '\n':
            out += QStringLiteral("\\n");
            break;
        case '\r':
            out += QStringLiteral("\\r");
            break;
        case '\t':
            out += QStringLiteral("\\t");
            break;
        default:
            if (c.unicode() < 0x20)
                out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    return out + QLatin1Char('"');
}

} // namespace tf
