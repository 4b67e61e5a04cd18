#include "twenty/recordorder.h"

#include "twenty/apierror.h"
#include "twenty/cursorcodec.h"

namespace tf::emu {

namespace {

const QList<QPair<QString, RecordOrder::Direction>> &directions()
{
    using D = RecordOrder::Direction;
    static const QList<QPair<QString, D>> names{{QStringLiteral("AscNullsFirst"), D::AscNullsFirst},
                                                {QStringLiteral("AscNullsLast"), D::AscNullsLast},
                                                {QStringLiteral("DescNullsFirst"), D::DescNullsFirst},
                                                {QStringLiteral("DescNullsLast"), D::DescNullsLast}};
    return names;
}

RecordOrder::Direction directionOf(const QString &name)
{
    for (const auto &[candidate, direction] : directions()) {
        if (candidate == name)
            return direction;
    }
    QStringList allowed;
    for (const auto &entry : directions())
        allowed.append(entry.first);
    throw ApiError::badRequest(QStringLiteral("'order_by' direction '%1' invalid. Allowed values are '%2'. eg: "
                                              "?order_by=field_1[AscNullsFirst],field_2[DescNullsLast],field_3")
                                   .arg(name, allowed.join(QStringLiteral("', '"))));
}

} // namespace

RecordOrder RecordOrder::parse(const QString &orderBy, const ObjectSchema &schema)
{
    RecordOrder order;
    const QStringList items = orderBy.isEmpty() ? QStringList() : orderBy.split(QLatin1Char(','));
    for (const QString &item : items) {
        QString fieldText = item;
        Direction direction = Direction::AscNullsFirst;
        if (item.contains(QLatin1Char('[')) && item.contains(QLatin1Char(']'))) {
            const qsizetype open = item.indexOf(QLatin1Char('['));
            fieldText = item.left(open);
            QString name = item.mid(open + 1);
            name.remove(name.indexOf(QLatin1Char(']')), 1);
            direction = directionOf(name);
        }
        FieldPath::Problem problem = FieldPath::Problem::UnknownField;
        const std::optional<FieldPath> path = FieldPath::resolve(schema, fieldText.split(QLatin1Char('.')), &problem);
        if (!path && problem == FieldPath::Problem::WholeComposite) {
            throw ApiError::badRequest(QStringLiteral("'order_by' invalid: '%1' is a composite field, order by its "
                                                      "sub-fields, eg: %1.%2")
                                           .arg(fieldText, subFieldsOf(schema.activeField(fieldText)->type).first().name));
        }
        if (!path)
            throw ApiError::badRequest(QStringLiteral("Field \"%1\" does not exist or is not sortable").arg(fieldText));
        order.m_terms.append({*path, direction});
    }
    const bool hasId = std::any_of(order.m_terms.begin(), order.m_terms.end(),
                                   [](const Term &term) { return term.path.name() == QLatin1String("id"); });
    if (!hasId) {
        FieldPath::Problem problem = FieldPath::Problem::UnknownField;
        order.m_terms.append({*FieldPath::resolve(schema, {QStringLiteral("id")}, &problem), Direction::AscNullsFirst});
    }
    return order;
}

int RecordOrder::compareValues(const QJsonValue &a, const QJsonValue &b, const Term &term)
{
    const bool nullsFirst = term.direction == Direction::AscNullsFirst || term.direction == Direction::DescNullsFirst;
    if (a.isNull() || b.isNull()) {
        if (a.isNull() && b.isNull())
            return 0;
        return (a.isNull() == nullsFirst) ? -1 : 1;
    }
    const int order = FieldPath::compare(a, b, term.path.kind());
    const bool descending = term.direction == Direction::DescNullsFirst || term.direction == Direction::DescNullsLast;
    return descending ? -order : order;
}

int RecordOrder::compare(const QJsonObject &a, const QJsonObject &b) const
{
    for (const Term &term : m_terms) {
        if (const int order = compareValues(term.path.valueIn(a), term.path.valueIn(b), term))
            return order;
    }
    return 0;
}

QJsonValue RecordOrder::cursorValue(const QJsonObject &cursor, const FieldPath &path)
{
    return path.subField().isEmpty() ? cursor.value(path.field())
                                     : cursor.value(path.field()).toObject().value(path.subField());
}

int RecordOrder::compareToCursor(const QJsonObject &record, const QJsonObject &cursor) const
{
    for (const Term &term : m_terms) {
        if (const int order = compareValues(term.path.valueIn(record), cursorValue(cursor, term.path), term))
            return order;
    }
    return 0;
}

void RecordOrder::checkCursor(const QJsonObject &cursor, const QString &text) const
{
    for (const Term &term : m_terms) {
        if (cursorValue(cursor, term.path).isUndefined())
            throw ApiError::badRequest(QStringLiteral("Invalid cursor: %1").arg(text));
    }
}

QString RecordOrder::cursorOf(const QJsonObject &record) const
{
    // {...orderByValues, id}: the ordered fields in order (only the ordered sub-fields of a composite), id last
    // unless it was ordered on explicitly.
    OrderedJsonObject values;
    QJsonObject composites;
    for (const Term &term : m_terms) {
        if (term.path.subField().isEmpty()) {
            values.insert(term.path.field(), term.path.valueIn(record));
            continue;
        }
        QJsonObject composite = composites.value(term.path.field()).toObject();
        composite.insert(term.path.subField(), term.path.valueIn(record));
        composites.insert(term.path.field(), composite);
        values.insert(term.path.field(), composite);
    }
    values.insert(QStringLiteral("id"), record.value(QStringLiteral("id")));
    return CursorCodec::encode(values);
}

} // namespace tf::emu
