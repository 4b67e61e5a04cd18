#include "twenty/valueinspector.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <cmath>

namespace tf::emu {

namespace {

QString quotedString(const QString &text)
{
    // Node picks the quote the text does not contain: ' first, then ", then `.
    QChar quote = QLatin1Char('\'');
    if (text.contains(QLatin1Char('\''))) {
        if (!text.contains(QLatin1Char('"')))
            quote = QLatin1Char('"');
        else if (!text.contains(QLatin1Char('`')))
            quote = QLatin1Char('`');
    }
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    if (quote == QLatin1Char('\''))
        escaped.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return quote + escaped + quote;
}

QString key(const QString &name)
{
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_$][A-Za-z0-9_$]*$"));
    return identifier.match(name).hasMatch() ? name : quotedString(name);
}

} // namespace

QString ValueInspector::number(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (value == std::floor(value) && std::fabs(value) < 1e21)
        return QString::number(qint64(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString ValueInspector::inspect(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Undefined:
        return QStringLiteral("undefined");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return number(value.toDouble());
    case QJsonValue::String:
        return quotedString(value.toString());
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        if (array.isEmpty())
            return QStringLiteral("[]");
        QStringList items;
        for (const QJsonValue &item : array)
            items.append(inspect(item));
        return QStringLiteral("[ ") + items.join(QStringLiteral(", ")) + QStringLiteral(" ]");
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        if (object.isEmpty())
            return QStringLiteral("{}");
        QStringList items;
        for (auto it = object.begin(); it != object.end(); ++it)
            items.append(key(it.key()) + QStringLiteral(": ") + inspect(it.value()));
        return QStringLiteral("{ ") + items.join(QStringLiteral(", ")) + QStringLiteral(" }");
    }
    }
    return {};
}

} // namespace tf::emu
