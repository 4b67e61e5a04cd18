#pragma once

#include "twenty/fieldpath.h"

#include <QJsonObject>

namespace tf::emu {

// The `order_by` of a list (§2.1, parse-order-by-rest-request): `field[Direction],sub.field[Direction],field`,
// id[AscNullsFirst] appended as the tie-break unless id is named. It orders records, makes their cursors (§2.2)
// and places a record relative to a cursor.
class RecordOrder
{
public:
    enum class Direction { AscNullsFirst, AscNullsLast, DescNullsFirst, DescNullsLast };

    // Throws ApiError 400 for a bad direction (§5's exact message), an unknown field or a whole composite.
    static RecordOrder parse(const QString &orderBy, const ObjectSchema &schema);

    int compare(const QJsonObject &a, const QJsonObject &b) const; // < 0: a comes first
    int compareToCursor(const QJsonObject &record, const QJsonObject &cursor) const;
    QString cursorOf(const QJsonObject &record) const;
    // Throws ApiError "Invalid cursor: <text>" when the cursor lacks a value this order needs.
    void checkCursor(const QJsonObject &cursor, const QString &text) const;

private:
    struct Term {
        FieldPath path;
        Direction direction;
    };
    static int compareValues(const QJsonValue &a, const QJsonValue &b, const Term &term);
    static QJsonValue cursorValue(const QJsonObject &cursor, const FieldPath &path);

    QList<Term> m_terms;
};

} // namespace tf::emu
