#include "twenty/uuids.h"

#include <QRegularExpression>
#include <QUuid>

namespace tf::emu {

bool Uuids::isValid(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"),
        QRegularExpression::CaseInsensitiveOption);
    return pattern.match(text).hasMatch();
}

bool Uuids::isPostgresUuid(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
                                            QRegularExpression::CaseInsensitiveOption);
    return pattern.match(text).hasMatch();
}

QString Uuids::create()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace tf::emu
